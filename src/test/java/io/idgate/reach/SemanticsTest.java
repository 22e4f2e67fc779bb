package io.idgate.reach;

import static io.idgate.reach.Worlds.deploy;
import static io.idgate.reach.Worlds.ns;
import static io.idgate.reach.Worlds.pod;
import static io.idgate.reach.Worlds.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.idgate.netpol.Connections;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of design section 7, each both ways (a case that allows and one that does not), from the
 * Kubernetes NetworkPolicy concept page and the networking/v1 API reference. The world of every case
 * is {@link #BASE} plus the case's own objects; {@code expected} is the connection set printed as in
 * {@code reach list}, or {@code none}.
 */
class SemanticsTest {

    record Case(String name, String objects, String src, String dst, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** a, b and c in namespace shop; d in namespace ops (labelled team: ops); m in ops with type: monitoring. */
    static final String BASE = ns("shop", "{}") + ns("ops", "{team: ops}")
            + deploy("shop", "a", "{app: a}")
            + deploy("shop", "b", "{app: b}", "[{name: http, containerPort: 8080}, {name: dns, containerPort: 5353, protocol: UDP}]")
            + deploy("shop", "c", "{app: c, type: monitoring}")
            + deploy("ops", "d", "{app: d}")
            + deploy("ops", "m", "{app: m, type: monitoring}");

    static final String A = "shop/a[Deployment]";
    static final String B = "shop/b[Deployment]";
    static final String C = "shop/c[Deployment]";
    static final String D = "ops/d[Deployment]";
    static final String M = "ops/m[Deployment]";

    static final String DENY_B = policy("shop", "deny-b", "podSelector: {matchLabels: {app: b}}\ningress: []\n");

    static Stream<Case> cases() {
        return Stream.of(
                // default open, per direction
                new Case("a pod no policy selects is open to every pod", "", A, B, "All Connections"),
                new Case("ingress: [] isolates the selected pod", DENY_B, A, B, "none"),
                new Case("a policy isolates only the pods it selects", DENY_B, A, C, "All Connections"),
                new Case("a policy's empty podSelector selects every pod of its namespace",
                        policy("shop", "deny-all", "podSelector: {}\ningress: []\n"), A, C, "none"),
                new Case("a policy's empty podSelector selects no pod of another namespace",
                        policy("shop", "deny-all", "podSelector: {}\ningress: []\n"), A, D, "All Connections"),
                new Case("an isolated ingress leaves the pod's egress open", DENY_B, B, A, "All Connections"),
                new Case("a connection needs the source's egress too: egress to c only blocks b",
                        policy("shop", "a-to-c", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- to: [{podSelector: {matchLabels: {app: c}}}]\n"),
                        A, B, "none"),
                new Case("a connection needs the source's egress too: egress to c allows c",
                        policy("shop", "a-to-c", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- to: [{podSelector: {matchLabels: {app: c}}}]\n"),
                        A, C, "All Connections"),
                // implied policyTypes
                new Case("without policyTypes a policy with egress rules isolates ingress too",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\negress:\n- to: [{podSelector: {}}]\n"), A, B, "none"),
                new Case("with policyTypes [Egress] the same policy leaves ingress open",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\npolicyTypes: [Egress]\negress:\n- to: [{podSelector: {}}]\n"), A, B, "All Connections"),
                new Case("without policyTypes egress: [] does not isolate egress (defaulting counts egress rules)",
                        policy("shop", "p", "podSelector: {matchLabels: {app: a}}\ningress: [{}]\negress: []\n"), A, B, "All Connections"),
                new Case("with policyTypes [Egress] egress: [] isolates egress",
                        policy("shop", "p", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress: []\n"), A, B, "none"),
                new Case("policyTypes [Ingress] ignores egress rules: egress stays open",
                        policy("shop", "p", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Ingress]\ningress: [{}]\negress:\n- to: [{podSelector: {matchLabels: {app: c}}}]\n"),
                        A, B, "All Connections"),
                new Case("a policy without ingress field isolates ingress like ingress: []",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\n"), A, B, "none"),
                // rules without peers
                new Case("a rule without from admits pods of every namespace",
                        DENY_B + policy("shop", "all", "podSelector: {matchLabels: {app: b}}\ningress: [{}]\n"), D, B, "All Connections"),
                new Case("a rule without from but with ports admits every pod on those ports only",
                        DENY_B + policy("shop", "all", "podSelector: {matchLabels: {app: b}}\ningress: [{ports: [{port: 443}]}]\n"), D, B, "TCP 443"),
                new Case("a rule without from admits external addresses",
                        policy("shop", "all", "podSelector: {matchLabels: {app: b}}\ningress: [{}]\n"), "0.0.0.0-255.255.255.255[External]", B, "All Connections"),
                new Case("an isolated pod gets nothing from external addresses",
                        DENY_B, "0.0.0.0-255.255.255.255[External]", B, "none"),
                // peer selectors
                new Case("a podSelector alone admits matching pods of the policy's namespace",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n"), A, B, "All Connections"),
                new Case("a podSelector alone does not admit matching pods of another namespace",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {type: monitoring}}}]\n"), M, B, "none"),
                new Case("a podSelector alone does not admit pods it does not match",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n"), C, B, "none"),
                new Case("podSelector: {} in a peer admits every pod of the policy's namespace",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {}}]\n"), C, B, "All Connections"),
                new Case("podSelector: {} in a peer admits no pod of another namespace",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {}}]\n"), D, B, "none"),
                new Case("podSelector with an empty matchLabels reads as {}",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from:\n  - podSelector:\n      matchLabels:\n"), C, B, "All Connections"),
                new Case("namespaceSelector: {} admits pods of every namespace",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{namespaceSelector: {}}]\n"), D, B, "All Connections"),
                new Case("namespaceSelector: {} admits no external address",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{namespaceSelector: {}}]\n"), "0.0.0.0-255.255.255.255[External]", B, "none"),
                new Case("a namespaceSelector admits pods of namespaces with the label",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {team: ops}}}]\n"), D, B, "All Connections"),
                new Case("a namespaceSelector does not admit pods of namespaces without the label, even its own",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {team: ops}}}]\n"), A, B, "none"),
                new Case("every namespace carries kubernetes.io/metadata.name, even one no manifest declares",
                        deploy("undeclared", "u", "{app: u}")
                                + policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: undeclared}}}]\n"),
                        "undeclared/u[Deployment]", B, "All Connections"),
                new Case("a namespace name label admits no other namespace",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]\n"),
                        A, B, "none"),
                new Case("a Namespace cannot drop its name label: the API server sets it",
                        ns("named", "{kubernetes.io/metadata.name: other}") + deploy("named", "n", "{app: n}")
                                + policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: named}}}]\n"),
                        "named/n[Deployment]", B, "All Connections"),
                // AND within a peer, OR across peers (the one-character indentation mistake)
                new Case("namespaceSelector and podSelector in one peer need both: a monitoring pod of ops is admitted",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: ops}}\n    podSelector: {matchLabels: {type: monitoring}}\n"),
                        M, B, "All Connections"),
                new Case("namespaceSelector and podSelector in one peer need both: another pod of ops is not",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: ops}}\n    podSelector: {matchLabels: {type: monitoring}}\n"),
                        D, B, "none"),
                new Case("namespaceSelector and podSelector in one peer need both: a monitoring pod of the own namespace is not",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: ops}}\n    podSelector: {matchLabels: {type: monitoring}}\n"),
                        C, B, "none"),
                new Case("as two list items they are either: every pod of ops is admitted",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: ops}}\n  - podSelector: {matchLabels: {type: monitoring}}\n"),
                        D, B, "All Connections"),
                new Case("as two list items they are either: a monitoring pod of the own namespace is admitted",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: ops}}\n  - podSelector: {matchLabels: {type: monitoring}}\n"),
                        C, B, "All Connections"),
                new Case("as two list items they are either: a non-matching pod of the own namespace is not",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: ops}}\n  - podSelector: {matchLabels: {type: monitoring}}\n"),
                        A, B, "none"),
                // ports and protocols
                new Case("a port without protocol is TCP",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: 80}]\n"), A, B, "TCP 80"),
                new Case("a UDP port opens UDP only",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: 53, protocol: UDP}]\n"), A, B, "UDP 53"),
                new Case("a protocol without port opens every port of that protocol",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{protocol: SCTP}]\n"), A, B, "SCTP 1-65535"),
                new Case("TCP egress and UDP ingress on one port do not meet",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: 53, protocol: UDP}]\n")
                                + policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- ports: [{port: 53}]\n"),
                        A, B, "none"),
                new Case("the same protocol and port on both sides meet",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: 53, protocol: UDP}, {port: 53}]\n")
                                + policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- ports: [{port: 53}]\n"),
                        A, B, "TCP 53"),
                new Case("endPort opens the whole range",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: 8080, endPort: 8090}, {port: 80}, {port: 81}]\n"),
                        A, B, "TCP 80-81,8080-8090"),
                new Case("endPort ranges meet egress ports inside them only",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: 8080, endPort: 8090}]\n")
                                + policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- ports: [{port: 8085}, {port: 9000}]\n"),
                        A, B, "TCP 8085"),
                new Case("a named port opens the destination's container port of that name",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: http}]\n"), A, B, "TCP 8080"),
                new Case("a named port the destination lacks opens nothing",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: metrics}]\n"), A, B, "none"),
                new Case("a named port needs the protocol too: dns is UDP on b",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: dns}]\n"), A, B, "none"),
                new Case("a named port with the container port's protocol opens it",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: dns, protocol: UDP}]\n"), A, B, "UDP 5353"),
                new Case("an egress named port resolves against the destination pod",
                        policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- ports: [{port: http}]\n"), A, B, "TCP 8080"),
                new Case("an egress named port opens nothing to a destination without it",
                        policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- ports: [{port: http}]\n"), A, C, "none"),
                new Case("an egress named port opens nothing to external addresses",
                        policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- ports: [{port: http}]\n"),
                        A, "0.0.0.0-255.255.255.255[External]", "none"),
                // ipBlocks
                new Case("an egress ipBlock opens its range",
                        policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n"),
                        A, "10.0.0.0-10.0.255.255[External]", "All Connections"),
                new Case("an except range is not opened",
                        policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n"),
                        A, "10.1.0.0-10.1.255.255[External]", "none"),
                new Case("addresses outside the block are not opened",
                        policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 10.0.0.0/8}}]\n"),
                        A, "11.0.0.0-255.255.255.255[External]", "none"),
                new Case("an ipBlock matches no pod whose address is unknown",
                        policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n"),
                        A, B, "none"),
                new Case("an ipBlock matches a pod whose address is inside it",
                        pod("shop", "p1", "{app: p1}", "10.0.0.5")
                                + policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 10.0.0.0/24}}]\n"),
                        A, "shop/p1[Pod]", "All Connections"),
                new Case("an ipBlock does not match a pod whose address is in an except",
                        pod("shop", "p1", "{app: p1}", "10.0.0.5")
                                + policy("shop", "q", "podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 10.0.0.0/24, except: [10.0.0.0/29]}}]\n"),
                        A, "shop/p1[Pod]", "none"),
                new Case("an ingress ipBlock admits a pod by its address",
                        pod("shop", "p1", "{app: p1}", "10.0.0.5")
                                + policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{ipBlock: {cidr: 10.0.0.0/24}}]\n"),
                        "shop/p1[Pod]", B, "All Connections"),
                new Case("an ingress ipBlock does not admit a pod outside it",
                        pod("shop", "p1", "{app: p1}", "10.9.0.5")
                                + policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{ipBlock: {cidr: 10.0.0.0/24}}]\n"),
                        "shop/p1[Pod]", B, "none"),
                // policies add up
                new Case("a second policy adds to what the first allows",
                        DENY_B + policy("shop", "allow-a", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n  ports: [{port: 80}]\n")
                                + policy("shop", "allow-a-443", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n  ports: [{port: 443}]\n"),
                        A, B, "TCP 80,443"),
                new Case("a deny-all stacked on an allow takes nothing away",
                        policy("shop", "allow-a", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n")
                                + policy("shop", "deny-all", "podSelector: {}\ningress: []\n"),
                        A, B, "All Connections"),
                new Case("the stacked allow opens nothing to pods it does not name",
                        policy("shop", "allow-a", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n")
                                + policy("shop", "deny-all", "podSelector: {}\ningress: []\n"),
                        C, B, "none"),
                new Case("rules of one policy add up across peers and ports",
                        policy("shop", "p", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n  ports: [{port: 80}]\n- from: [{podSelector: {matchLabels: {app: a}}}]\n  ports: [{port: 53, protocol: UDP}]\n"),
                        A, B, "TCP 80,UDP 53"),
                // owned pods
                new Case("a pod owned by a Deployment of the input is that Deployment's peer",
                        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: a-123, namespace: shop, labels: {app: a}, ownerReferences: [{kind: Deployment, name: a, controller: true, apiVersion: apps/v1, uid: u}]}\nspec: {containers: [{name: c, image: x}]}\n",
                        A, B, "All Connections"),
                new Case("no self edge: a peer is not listed as reaching itself", "", A, A, "none"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rule(Case c) {
        Reachability r = Worlds.reach(BASE + c.objects());
        Connections got = r.connections(c.src(), c.dst());
        assertEquals(c.expected(), got.isEmpty() ? "none" : got.toString(), c.name());
        // explain evaluates the pair without classes: it must agree
        if (!c.src().equals(c.dst())) {
            Connections explained = Explanation.of(r.world(), Worlds.KEYS, c.src(), c.dst(), null, null).orElseThrow().result();
            assertEquals(got, explained, "explain of " + c.name());
        }
    }
}
