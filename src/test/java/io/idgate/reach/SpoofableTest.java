package io.idgate.reach;

import static io.idgate.reach.Worlds.deploy;
import static io.idgate.reach.Worlds.ns;
import static io.idgate.reach.Worlds.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which edges a pod author could gain by choosing labels, each both ways. */
class SpoofableTest {

    record Case(String name, String policy, boolean spoofable) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String BASE = ns("shop", "{}") + ns("ops", "{team: ops}")
            + deploy("shop", "a", "{app: a, idgate.io/service-account: a, groups.idgate.io/pci: \"true\"}")
            + deploy("shop", "b", "{app: b}")
            + deploy("ops", "a", "{app: a, idgate.io/service-account: a}");

    static String ingressToB(String from) {
        return policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: " + from + "\n");
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("an edge through a podSelector on a label anyone can set is spoofable",
                        ingressToB("[{podSelector: {matchLabels: {app: a}}}]"), true),
                new Case("an edge through a podSelector requiring an identity label is not spoofable",
                        ingressToB("[{podSelector: {matchLabels: {app: a, idgate.io/service-account: a}}}]"), false),
                new Case("an edge through a podSelector requiring a group label is not spoofable",
                        ingressToB("[{podSelector: {matchLabels: {groups.idgate.io/pci: \"true\"}}}]"), false),
                new Case("an identity key that is only excluded pins nothing",
                        ingressToB("[{podSelector: {matchExpressions: [{key: idgate.io/service-account, operator: NotIn, values: [x]}]}}]"), true),
                new Case("an edge through podSelector: {} (every pod of the namespace) is not spoofable",
                        ingressToB("[{podSelector: {}}]"), false),
                new Case("an edge through a namespaceSelector on the name label is not spoofable",
                        ingressToB("[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]"), false),
                new Case("an edge through a namespaceSelector on another namespace label is spoofable",
                        ingressToB("[{namespaceSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]},"
                                + " podSelector: {matchLabels: {idgate.io/service-account: a}}}]"), true),
                new Case("an edge allowed by a rule without peers is not spoofable",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress: [{}]\n"), false),
                new Case("an edge of an open direction is not spoofable", "", false),
                new Case("an edge allowed by a pinned and a spoofable selector is not spoofable",
                        ingressToB("[{podSelector: {matchLabels: {app: a}}}, {podSelector: {matchLabels: {idgate.io/service-account: a}}}]"), false),
                new Case("an edge allowed by a pinned selector on other ports only is still not spoofable",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n  ports: [{port: 80}]\n"
                                + "- from: [{podSelector: {matchLabels: {idgate.io/service-account: a}}}]\n  ports: [{port: 443}]\n"), false),
                new Case("a spoofable egress meets an open ingress: spoofable",
                        policy("shop", "e", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- to: [{podSelector: {matchLabels: {app: b}}}]\n"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void spoofable(Case c) {
        Reachability r = Worlds.reach(BASE + c.policy());
        Edge edge = r.edges().stream().filter(e -> e.src().equals("shop/a[Deployment]") && e.dst().equals("shop/b[Deployment]"))
                .findFirst().orElseThrow(() -> new AssertionError("no edge a => b"));
        assertEquals(c.spoofable(), edge.spoofable(), c.name());
        var x = Explanation.of(r.world(), Worlds.KEYS, edge.src(), edge.dst(), null, null).orElseThrow();
        assertEquals(c.spoofable(), x.spoofable(), "explain: " + c.name());
    }
}
