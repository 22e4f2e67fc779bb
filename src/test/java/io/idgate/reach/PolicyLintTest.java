package io.idgate.reach;

import static io.idgate.reach.Worlds.deploy;
import static io.idgate.reach.Worlds.ns;
import static io.idgate.reach.Worlds.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit's reachability findings on small worlds, each finding both ways. */
class PolicyLintTest {

    private static final String WORLD = ns("shop", "{}") + ns("pay", "{}") + deploy("shop", "web", "{app: web}")
            + deploy("pay", "api", "{app: api}", "[{containerPort: 8080}]");

    private static PolicyLint.Result lint(String yaml) {
        return PolicyLint.of(Worlds.reach(yaml), Worlds.KEYS);
    }

    private static List<String> exposed(PolicyLint.Result r) {
        return r.exposures().stream().map(e -> e.peer().id() + (e.everyNamespace() ? " namespaces" : "") + (e.everyAddress() ? " addresses" : "")
                + " (" + e.how() + ")").toList();
    }

    @Test
    void aPeerNothingIsolatesIsOpenToEveryNamespaceAndAddressAndADefaultDenyClosesIt() {
        assertEquals(List.of("pay/api[Deployment] namespaces addresses (no NetworkPolicy isolates its ingress)",
                "shop/web[Deployment] namespaces addresses (no NetworkPolicy isolates its ingress)"), exposed(lint(WORLD)));
        String denied = WORLD + policy("pay", "deny", "{podSelector: {}, policyTypes: [Ingress]}")
                + policy("shop", "deny", "{podSelector: {}, policyTypes: [Ingress]}");
        assertEquals(List.of(), exposed(lint(denied)));
    }

    @Test
    void aRuleAdmittingEveryNamespaceIsNamedAndAddressesStayClosed() {
        String world = WORLD + policy("shop", "deny", "{podSelector: {}, policyTypes: [Ingress]}")
                + policy("pay", "all-ns", "{podSelector: {}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {}}]}]}");
        assertEquals(List.of("pay/api[Deployment] namespaces (admitted by pay/all-ns spec.ingress[0].from[0])"), exposed(lint(world)));
    }

    @Test
    void aPolicyOrARulePeerThatSelectsNoPodIsFoundAndOneThatSelectsIsNot() {
        String world = WORLD + policy("pay", "gone", "{podSelector: {matchLabels: {app: old}}, policyTypes: [Ingress]}")
                + policy("pay", "from", "{podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress], ingress: [{from: "
                        + "[{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}, {podSelector: {matchLabels: {app: typo}}}]}]}");
        assertEquals(List.of("pay/from spec.ingress[0].from[1]", "pay/gone spec.podSelector"),
                lint(world).unused().stream().map(u -> u.policy() + " " + u.path()).toList());
    }

    @Test
    void aRuleEveryConnectionOfWhichAnotherAllowsIsShadowedAndTheWiderOneIsNot() {
        String world = WORLD + policy("pay", "narrow", "{podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress], ingress: [{from: "
                + "[{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]}")
                + policy("pay", "wide", "{podSelector: {}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {}}]}]}");
        List<PolicyLint.Shadowed> shadowed = lint(world).shadowed();
        assertEquals(1, shadowed.size(), shadowed.toString());
        assertEquals("pay/narrow", shadowed.get(0).policy());
        assertEquals("spec.ingress[0]", shadowed.get(0).path());
        assertEquals(List.of("pay/wide spec.ingress[0]"), shadowed.get(0).by());
        String alone = WORLD + policy("pay", "narrow", "{podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress], ingress: [{from: "
                + "[{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]}");
        assertTrue(lint(alone).shadowed().isEmpty(), "alone, the rule is the only way in");
    }
}
