package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.idgate.identity.IdentityConfig;
import io.idgate.reach.Reachability;
import io.idgate.reach.WorldBuilder;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which edges an invariant catches, each membership rule both ways. The pods carry the identity labels
 * the webhook stamps ({@code idgate.io/...}, {@code groups.idgate.io/<g>}), so membership is read as in a
 * live cluster.
 */
class InvariantCheckTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** payments/api and payments/ledger (group payments), checkout/web (group checkout), shop/web: no policy, all open. */
    private static final String PODS = pod("payments", "api", "api", "payments") + pod("payments", "ledger", "ledger", "payments")
            + pod("checkout", "web", "web", "checkout") + pod("shop", "web", "web", null);

    private static String pod(String ns, String name, String sa, String group) {
        return "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + ns + "\n  labels:\n"
                + "    idgate.io/namespace: " + ns + "\n    idgate.io/service-account: " + sa + "\n"
                + "    idgate.io/spiffe-id: " + io.idgate.identity.LabelValues.encode("spiffe://cluster.local/ns/" + ns + "/sa/" + sa) + "\n"
                + (group == null ? "" : "    groups.idgate.io/" + group + ": \"true\"\n")
                + "spec: {serviceAccountName: " + sa + ", containers: [{name: c, image: x}]}\n";
    }

    private static final String GROUPS = """
            groups:
              payments: {members: [{serviceAccount: payments/*}]}
              checkout: {members: [{namespace: checkout}]}
            """;

    record Row(String name, String invariant, String extra, List<String> caught) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        String pay = "payments/api[ServiceAccount]";
        String led = "payments/ledger[ServiceAccount]";
        String shop = "shop/web[ServiceAccount]";
        String checkout = "checkout/web[ServiceAccount]";
        String world = "0.0.0.0-255.255.255.255[External]";
        return Stream.of(
                new Row("a group protected from outsiders catches the outsider, not the listed group nor its own members",
                        "{name: i, to: group:payments, onlyFrom: [group:checkout]}", "", List.of(shop + " => " + pay, shop + " => " + led, world + " => " + pay, world + " => " + led)),
                new Row("a namespace in onlyFrom lets its pods in", "{name: i, to: group:payments, onlyFrom: [namespace:shop]}", "",
                        List.of(checkout + " => " + pay, checkout + " => " + led, world + " => " + pay, world + " => " + led)),
                new Row("a ServiceAccount glob protects only the accounts it matches",
                        "{name: i, to: serviceAccount:payments/led*, onlyFrom: [namespace:checkout, namespace:shop]}", "",
                        List.of(pay + " => " + led, world + " => " + led)),
                new Row("a SPIFFE ID protects the pod whose label encodes it",
                        "{name: i, to: spiffe://cluster.local/ns/payments/sa/api, onlyFrom: [group:payments, group:checkout]}", "",
                        List.of(shop + " => " + pay, world + " => " + pay)),
                new Row("a SPIFFE ID in the cluster's trust domain allows its ServiceAccount",
                        "{name: i, to: group:payments, onlyFrom: [spiffe://cluster.local/ns/shop/sa/web]}", "",
                        List.of(checkout + " => " + pay, checkout + " => " + led, world + " => " + pay, world + " => " + led)),
                new Row("a SPIFFE ID of another trust domain allows nobody here",
                        "{name: i, to: group:payments, onlyFrom: [spiffe://other.example/ns/shop/sa/web]}", "",
                        List.of(checkout + " => " + pay, checkout + " => " + led, shop + " => " + pay, shop + " => " + led,
                                world + " => " + pay, world + " => " + led)),
                new Row("an egress invariant catches the destinations outside onlyTo, the outside world included",
                        "{name: i, from: serviceAccount:payments/api, onlyTo: [group:checkout]}", "",
                        List.of(pay + " => 0.0.0.0-255.255.255.255[External]", pay + " => " + led, pay + " => " + shop)),
                new Row("a listed CIDR allows the external ranges inside it and no other",
                        "{name: i, from: serviceAccount:payments/api, onlyTo: [group:payments, group:checkout, namespace:shop, cidr:10.20.0.0/16]}",
                        policy("payments", "cut", "{podSelector: {matchLabels: {x: y}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.20.0.0/16}}]}]}"),
                        List.of(pay + " => 0.0.0.0-10.19.255.255[External]", pay + " => 10.21.0.0-255.255.255.255[External]")),
                new Row("a default-deny in front of the protected identity leaves nothing to catch",
                        "{name: i, to: group:payments, onlyFrom: []}", policy("payments", "deny", "{podSelector: {}, policyTypes: [Ingress]}"),
                        List.of()));
    }

    private static String policy(String ns, String name, String spec) {
        return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec: " + spec + "\n";
    }

    private static Reachability reach(String yaml) throws Exception {
        WorldBuilder b = new WorldBuilder();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNextValue()) {
                b.add("test.yaml", (ObjectNode) it.nextValue());
            }
        }
        return Reachability.of(b.build(), IdentityConfig.DEFAULTS.keys());
    }

    private static InvariantCheck check(String invariant, Action... action) {
        String yaml = GROUPS + "invariants:\n  - " + invariant + "\n";
        var parsed = (ParseResult.Parsed) GuardrailParser.parse("idgate-system", "g", "a.yaml", yaml);
        return new InvariantCheck(parsed.document().invariants(), IdentityConfig.DEFAULTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void catches(Row row) throws Exception {
        List<Violation> found = check(row.invariant()).all(reach(PODS + row.extra()), InvariantCheck.Subject.at("reachability"));
        TreeSet<String> pairs = new TreeSet<>();
        for (Violation v : found) {
            String problem = v.problem();
            pairs.add(problem.substring("opens ".length(), problem.indexOf(" : ")));
        }
        assertEquals(new TreeSet<>(row.caught()), pairs, found.toString());
    }

    @Test
    void aViolationNamesTheRuleThatOpensTheEdgeAndTheInvariantsAction() throws Exception {
        String world = PODS + policy("payments", "deny", "{podSelector: {}, policyTypes: [Ingress]}")
                + policy("payments", "from-shop", "{podSelector: {}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: "
                        + "{matchLabels: {kubernetes.io/metadata.name: shop}}}], ports: [{port: 8080}]}]}");
        List<Violation> found = check("{name: i, action: warn, to: group:payments, onlyFrom: [group:checkout]}")
                .all(reach(world), InvariantCheck.Subject.policy("payments/from-shop"));
        assertEquals(2, found.size(), found.toString());
        Violation v = found.get(0);
        assertEquals(Action.WARN, v.action());
        assertEquals("spec.ingress[0].from[0]", v.fieldPath());
        assertTrue(v.problem().startsWith("opens shop/web[ServiceAccount] => payments/api[ServiceAccount] : TCP 8080, but only group:checkout"
                + " may reach group:payments (allowed by payments/from-shop spec.ingress[0].from[0])"), v.problem());
    }

    @Test
    void moreThanTenPairsEndWithACount() throws Exception {
        StringBuilder world = new StringBuilder(PODS);
        for (int i = 0; i < 12; i++) { // 12 + shop/web + checkout/web + payments/ledger + the outside world
            world.append(pod("shop", "w" + i, "sa" + i, null));
        }
        List<Violation> found = check("{name: i, to: serviceAccount:payments/api, onlyFrom: []}")
                .all(reach(world.toString()), InvariantCheck.Subject.at("reachability"));
        assertEquals(InvariantCheck.MAX_EDGES + 1, found.size());
        assertEquals("… and 6 more identity pairs break it", found.get(InvariantCheck.MAX_EDGES).problem());
    }
}
