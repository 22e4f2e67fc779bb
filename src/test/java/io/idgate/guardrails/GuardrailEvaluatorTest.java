package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.LabelValues;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GuardrailEvaluatorTest {

    private static final IdentityConfig CONFIG = IdentityConfig.DEFAULTS;
    private static final String NS = "pci-prod";
    private static final String DEFAULT_DENY = """
            podSelector: {}
            policyTypes: [Ingress, Egress]
            """;

    /** One rule named r, applying to pci-* namespaces, with {@code require} as given. */
    static GuardrailSnapshot rule(String require) {
        return Fixtures.snapshot("""
                groups:
                  payments:
                    members: [{serviceAccount: "payments/*"}]
                rules:
                  - name: r
                    match: {namespaces: ["pci-*"]}
                    require: %s
                """.formatted(require));
    }

    static List<Violation> create(GuardrailSnapshot snapshot, String spec) {
        return GuardrailEvaluator.evaluate(Operation.CREATE, Fixtures.policy("p", spec), null, NS, List.of(), snapshot, CONFIG);
    }

    record Case(String name, String require, String spec, List<String> paths) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case allowed(String name, String require, String spec) {
        return new Case(name, require, spec, List.of());
    }

    static Case denied(String name, String require, String spec, String... paths) {
        return new Case(name, require, spec, List.of(paths));
    }

    private static final String IDENTITY_PEERS = "{identityPeers: true}";
    private static final String INGRESS_FROM = """
            {ingressFrom: ["group:payments", "serviceAccount:frontend/web", "namespace:monitoring",
                           "spiffe://cluster.local/ns/batch/sa/job", "serviceAccount:pci-*/api"]}""";
    private static final String EGRESS_TO = "{egressTo: [\"group:payments\"]}";
    private static final String IP_BLOCKS = "{ipBlocks: {ingress: [], egress: [\"10.20.0.0/16\", \"fd00:20::/32\"]}}";
    private static final String WORLD = "{ipBlocks: {egress: [\"0.0.0.0/0\"]}}";
    private static final String NO_ALLOW_ALL = "{noAllowAll: true}";
    private static final String PORTS = "{ports: true}";
    private static final String IMMUTABLE_NS = "{immutableNamespaceSelectors: true}";

    static String ingressFrom(String peer) {
        return "podSelector: {}\ningress:\n  - from:\n      - " + peer + "\n";
    }

    static String egressTo(String peer) {
        return "podSelector: {}\negress:\n  - to:\n      - " + peer + "\n";
    }

    static Stream<Case> cases() {
        String job = LabelValues.encode("spiffe://cluster.local/ns/batch/sa/job");
        String web = LabelValues.encode("spiffe://cluster.local/ns/frontend/sa/web");
        return Stream.of(
                // identityPeers
                allowed("identityPeers allows a peer selecting by service account", IDENTITY_PEERS,
                        ingressFrom("podSelector: {matchLabels: {idgate.io/service-account: web}}")),
                allowed("identityPeers allows a peer selecting by group", IDENTITY_PEERS,
                        ingressFrom("podSelector: {matchLabels: {groups.idgate.io/payments: \"true\"}}")),
                allowed("identityPeers allows an identity key required by In", IDENTITY_PEERS,
                        ingressFrom("podSelector: {matchExpressions: [{key: idgate.io/namespace, operator: In, values: [a]}]}")),
                allowed("identityPeers leaves an empty podSelector alone", IDENTITY_PEERS, ingressFrom("podSelector: {}")),
                denied("identityPeers rejects a peer selecting by app label", IDENTITY_PEERS,
                        ingressFrom("podSelector: {matchLabels: {app: web}}"), "spec.ingress[0].from[0].podSelector"),
                denied("identityPeers rejects an identity key that is only excluded", IDENTITY_PEERS,
                        egressTo("podSelector: {matchExpressions: [{key: idgate.io/namespace, operator: NotIn, values: [a]}]}"),
                        "spec.egress[0].to[0].podSelector"),
                // ingressFrom / egressTo
                allowed("ingressFrom allows a peer pinned to a listed group", INGRESS_FROM,
                        ingressFrom("{podSelector: {matchLabels: {groups.idgate.io/payments: \"true\"}}, namespaceSelector: {}}")),
                allowed("ingressFrom allows a service account pinned to its namespace by name", INGRESS_FROM, ingressFrom(
                        "{podSelector: {matchLabels: {idgate.io/service-account: web}}, namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: frontend}}}")),
                allowed("ingressFrom allows a service account pinned by the namespace identity label", INGRESS_FROM, ingressFrom(
                        "{podSelector: {matchLabels: {idgate.io/service-account: web, idgate.io/namespace: frontend}}, namespaceSelector: {}}")),
                allowed("ingressFrom pins a peer without namespaceSelector to the policy's namespace", INGRESS_FROM,
                        ingressFrom("podSelector: {matchLabels: {idgate.io/service-account: api}}")),
                allowed("ingressFrom allows a whole listed namespace", INGRESS_FROM,
                        ingressFrom("namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}")),
                allowed("ingressFrom allows a listed SPIFFE ID by its encoded label", INGRESS_FROM,
                        ingressFrom("{podSelector: {matchLabels: {idgate.io/spiffe-id: " + job + "}}, namespaceSelector: {}}")),
                allowed("ingressFrom treats a SPIFFE ID of the trust domain as its service account", INGRESS_FROM, ingressFrom(
                        "{podSelector: {matchLabels: {idgate.io/service-account: job}}, namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: batch}}}")),
                allowed("ingressFrom treats a literal service account as its SPIFFE ID", INGRESS_FROM,
                        ingressFrom("{podSelector: {matchLabels: {idgate.io/spiffe-id: " + web + "}}, namespaceSelector: {}}")),
                denied("ingressFrom rejects a service account in any namespace", INGRESS_FROM, ingressFrom(
                        "{podSelector: {matchLabels: {idgate.io/service-account: web}}, namespaceSelector: {}}"), "spec.ingress[0].from[0]"),
                denied("ingressFrom rejects a namespace set with an unlisted member", INGRESS_FROM, ingressFrom(
                        "{podSelector: {matchLabels: {idgate.io/service-account: web}}, namespaceSelector: {matchExpressions: "
                                + "[{key: kubernetes.io/metadata.name, operator: In, values: [frontend, other]}]}}"), "spec.ingress[0].from[0]"),
                denied("ingressFrom rejects a namespace chosen by an editable label", INGRESS_FROM, ingressFrom(
                        "{podSelector: {matchLabels: {idgate.io/service-account: web}}, namespaceSelector: {matchLabels: {team: frontend}}}"),
                        "spec.ingress[0].from[0]"),
                denied("ingressFrom rejects an unlisted group", INGRESS_FROM, ingressFrom(
                        "{podSelector: {matchLabels: {groups.idgate.io/other: \"true\"}}, namespaceSelector: {}}"), "spec.ingress[0].from[0]"),
                denied("ingressFrom rejects an ipBlock, which is not an identity", INGRESS_FROM,
                        ingressFrom("ipBlock: {cidr: 10.0.0.0/8}"), "spec.ingress[0].from[0]"),
                denied("ingressFrom rejects a rule without from", INGRESS_FROM, "podSelector: {}\ningress: [{}]\n", "spec.ingress[0].from"),
                allowed("ingressFrom does not look at egress", INGRESS_FROM, egressTo("ipBlock: {cidr: 0.0.0.0/0}")),
                allowed("egressTo allows a destination in a listed group", EGRESS_TO,
                        egressTo("{podSelector: {matchLabels: {groups.idgate.io/payments: \"true\"}}, namespaceSelector: {}}")),
                denied("egressTo rejects a destination chosen by app label", EGRESS_TO,
                        egressTo("podSelector: {matchLabels: {app: db}}"), "spec.egress[0].to[0]"),
                // ipBlocks
                denied("ipBlocks ingress [] allows no ipBlock at all", IP_BLOCKS, ingressFrom("ipBlock: {cidr: 10.20.0.0/24}"),
                        "spec.ingress[0].from[0].ipBlock.cidr"),
                allowed("ipBlocks allows an egress block inside a listed CIDR", IP_BLOCKS, egressTo("ipBlock: {cidr: 10.20.1.0/24}")),
                allowed("ipBlocks allows exactly a listed CIDR with except", IP_BLOCKS,
                        egressTo("ipBlock: {cidr: 10.20.0.0/16, except: [10.20.9.0/24]}")),
                denied("ipBlocks does not let except narrow a wider block", IP_BLOCKS,
                        egressTo("ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/12, 10.16.0.0/12]}"), "spec.egress[0].to[0].ipBlock.cidr"),
                denied("ipBlocks rejects 0.0.0.0/0 unless listed", IP_BLOCKS, egressTo("ipBlock: {cidr: 0.0.0.0/0}"),
                        "spec.egress[0].to[0].ipBlock.cidr"),
                allowed("ipBlocks allows an IPv6 block inside a listed one", IP_BLOCKS, egressTo("ipBlock: {cidr: \"fd00:20:1::/48\"}")),
                denied("ipBlocks rejects ::/0 unless listed", IP_BLOCKS, egressTo("ipBlock: {cidr: \"::/0\"}"), "spec.egress[0].to[0].ipBlock.cidr"),
                allowed("ipBlocks treats an IPv4-mapped block as IPv4", IP_BLOCKS, egressTo("ipBlock: {cidr: \"::ffff:10.20.3.0/120\"}")),
                denied("ipBlocks rejects an IPv4-mapped block outside", IP_BLOCKS, egressTo("ipBlock: {cidr: \"::ffff:10.21.0.0/112\"}"),
                        "spec.egress[0].to[0].ipBlock.cidr"),
                denied("ipBlocks reports a CIDR that does not parse", IP_BLOCKS, egressTo("ipBlock: {cidr: 10.20.0.0/33}"),
                        "spec.egress[0].to[0].ipBlock.cidr"),
                allowed("ipBlocks allows 0.0.0.0/0 when listed literally", WORLD, egressTo("ipBlock: {cidr: 0.0.0.0/0}")),
                denied("ipBlocks listing 0.0.0.0/0 does not allow ::/0", WORLD, egressTo("ipBlock: {cidr: \"::/0\"}"),
                        "spec.egress[0].to[0].ipBlock.cidr"),
                // noAllowAll
                denied("noAllowAll rejects an ingress rule without from", NO_ALLOW_ALL, "podSelector: {}\ningress: [{}]\n",
                        "spec.ingress[0].from"),
                denied("noAllowAll rejects an egress rule with ports but no to", NO_ALLOW_ALL,
                        "podSelector: {}\negress: [{ports: [{port: 53}]}]\n", "spec.egress[0].to"),
                denied("noAllowAll rejects a bare namespaceSelector {}", NO_ALLOW_ALL, ingressFrom("namespaceSelector: {}"),
                        "spec.ingress[0].from[0]"),
                denied("noAllowAll rejects namespaceSelector {} with podSelector {}", NO_ALLOW_ALL,
                        ingressFrom("{namespaceSelector: {}, podSelector: {}}"), "spec.ingress[0].from[0]"),
                allowed("noAllowAll allows namespaceSelector {} with a pod restriction", NO_ALLOW_ALL,
                        ingressFrom("{namespaceSelector: {}, podSelector: {matchLabels: {groups.idgate.io/payments: \"true\"}}}")),
                allowed("noAllowAll allows deny-all ingress: []", NO_ALLOW_ALL, "podSelector: {}\ningress: []\n"),
                // ports
                denied("ports rejects an ingress rule without ports", PORTS, ingressFrom("podSelector: {}"), "spec.ingress[0].ports"),
                denied("ports rejects an egress rule with an empty ports list", PORTS,
                        "podSelector: {}\negress: [{to: [{podSelector: {}}], ports: []}]\n", "spec.egress[0].ports"),
                allowed("ports allows a rule with ports", PORTS, "podSelector: {}\ningress: [{ports: [{port: 8443}]}]\n"),
                // immutableNamespaceSelectors
                allowed("immutableNamespaceSelectors allows kubernetes.io/metadata.name", IMMUTABLE_NS,
                        ingressFrom("namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}")),
                allowed("immutableNamespaceSelectors allows the empty namespaceSelector", IMMUTABLE_NS, ingressFrom("namespaceSelector: {}")),
                denied("immutableNamespaceSelectors rejects a team label", IMMUTABLE_NS,
                        ingressFrom("namespaceSelector: {matchLabels: {team: operations, kubernetes.io/metadata.name: a}}"),
                        "spec.ingress[0].from[0].namespaceSelector.matchLabels[team]"),
                denied("immutableNamespaceSelectors rejects an expression on another key", IMMUTABLE_NS,
                        egressTo("namespaceSelector: {matchExpressions: [{key: env, operator: Exists}]}"),
                        "spec.egress[0].to[0].namespaceSelector.matchExpressions[0]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluatesEachRequirement(Case c) {
        List<Violation> violations = create(rule(c.require()), c.spec());
        assertEquals(c.paths(), violations.stream().map(Violation::fieldPath).toList(),
                String.join("\n", violations.stream().map(Violation::line).toList()));
    }

    @Test
    void aViolationLineNamesRuleConfigMapPathProblemAndFix() {
        List<Violation> v = create(rule("{ingressFrom: [\"group:payments\"]}"), ingressFrom("podSelector: {matchLabels: {app: web}}"));
        assertEquals("[r (idgate-system/guardrails)] spec.ingress[0].from[0]: the peer {podSelector: {matchLabels: {app: web}}}"
                + " can select pods whose identity is not one of group:payments; use peer {namespaceSelector: {}, podSelector: {matchLabels:"
                + " {groups.idgate.io/payments: \"true\"}}}", v.get(0).line());
    }

    @Test
    void theFixForAServiceAccountPinsItsNamespaceByNameAndItsPodsByIdentity() {
        List<Violation> v = create(rule("{egressTo: [\"serviceAccount:frontend/web\", \"namespace:monitoring\"]}"),
                egressTo("ipBlock: {cidr: 10.0.0.0/8}"));
        assertEquals("an ipBlock is not an identity; egress is limited to serviceAccount:frontend/web, namespace:monitoring",
                v.get(0).problem());
        assertEquals("use peer {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: frontend}}, podSelector: {matchLabels:"
                + " {idgate.io/service-account: web}}} or peer {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}},"
                + " podSelector: {}} (one peer each)", v.get(0).fix());
    }

    /** A fix is only worth pasting if it passes: every suggested peer, pasted, satisfies the rule that suggested it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"group:payments", "serviceAccount:frontend/web", "serviceAccount:batch/*",
            "namespace:monitoring", "spiffe://cluster.local/ns/batch/sa/job"})
    void everySuggestedPeerPassesTheRule(String ref) {
        GuardrailSnapshot snapshot = rule("{identityPeers: true, immutableNamespaceSelectors: true, ingressFrom: [\"" + ref + "\"]}");
        List<Violation> v = create(snapshot, ingressFrom("podSelector: {matchLabels: {app: web}}"));
        String fix = v.stream().filter(x -> x.fix().startsWith("use peer ")).findFirst().orElseThrow().fix();
        String peer = fix.substring("use peer ".length());
        assertEquals(List.of(), create(snapshot, ingressFrom(peer)), "pasted " + peer);
    }

    @Test
    void theActionOfTheRuleIsCarriedOnEveryViolation() {
        GuardrailSnapshot s = Fixtures.snapshot("""
                rules:
                  - {name: a-deny, require: {ports: true}}
                  - {name: b-warn, action: warn, require: {ports: true}}
                  - {name: c-audit, action: audit, require: {ports: true}}
                """);
        List<Violation> v = create(s, ingressFrom("podSelector: {}"));
        assertEquals(List.of(Action.DENY, Action.WARN, Action.AUDIT), v.stream().map(Violation::action).toList());
        assertEquals(List.of("a-deny", "b-warn", "c-audit"), v.stream().map(Violation::rule).toList());
    }

    @Test
    void violationsAreSortedByRuleThenPathWithIndexesAsNumbers() {
        GuardrailSnapshot s = Fixtures.snapshot("""
                rules:
                  - {name: b, require: {ports: true}}
                  - {name: a, require: {ports: true}}
                """);
        String spec = "podSelector: {}\ningress:\n" + "  - from: [{podSelector: {}}]\n".repeat(11);
        List<Violation> v = create(s, spec);
        assertEquals(22, v.size());
        assertEquals("a", v.get(0).rule());
        assertEquals("spec.ingress[2].ports", v.get(2).fieldPath());
        assertEquals("spec.ingress[10].ports", v.get(10).fieldPath());
        assertEquals("b", v.get(11).rule());
    }

    record ScopeCase(String name, String namespace, String policySelector, boolean applies) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ScopeCase> scopeCases() {
        return Stream.of(
                new ScopeCase("a namespace matching the glob is checked", "pci-prod", "{}", true),
                new ScopeCase("an excluded namespace is not checked", "pci-sandbox", "{}", false),
                new ScopeCase("a namespace outside the globs is not checked", "web", "{}", false),
                new ScopeCase("a policy selecting protected pods is checked", "pci-prod", "{matchLabels: {tier: pci}}", true),
                new ScopeCase("a policy on other labels may overlap and is checked", "pci-prod", "{matchLabels: {app: x}}", true),
                new ScopeCase("a policy provably on other pods is not checked", "pci-prod", "{matchLabels: {tier: web}}", false),
                new ScopeCase("a policy excluding protected pods by NotIn is not checked", "pci-prod",
                        "{matchExpressions: [{key: tier, operator: NotIn, values: [pci]}]}", false),
                new ScopeCase("a podSelector with null matchLabels selects all and is checked", "pci-prod", "{matchLabels: }", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scopeCases")
    void appliesByNamespaceGlobAndPodSelectorOverlap(ScopeCase c) {
        GuardrailSnapshot s = Fixtures.snapshot("""
                rules:
                  - name: r
                    match:
                      namespaces: ["pci-*"]
                      excludeNamespaces: ["pci-sandbox"]
                      podSelector: {matchExpressions: [{key: tier, operator: In, values: [pci]}]}
                    require: {ports: true}
                """);
        NetworkPolicy p = Fixtures.policy("p", "podSelector: " + c.policySelector() + "\ningress: [{from: [{podSelector: {}}]}]\n");
        List<Violation> v = GuardrailEvaluator.evaluate(Operation.CREATE, p, null, c.namespace(), List.of(), s, CONFIG);
        assertEquals(c.applies(), !v.isEmpty());
    }

    // ---- defaultDeny

    record DenyCase(String name, Operation op, String newSpec, String oldSpec, List<String> existing, List<String> paths) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String ALLOW_WEB = "podSelector: {matchLabels: {app: web}}\ningress: [{from: [{podSelector: {}}]}]\n";
    private static final String INGRESS_ONLY_DENY = "podSelector: {}\ningress: []\n";

    static Stream<DenyCase> denyCases() {
        return Stream.of(
                new DenyCase("creating a policy where a default deny exists is allowed", Operation.CREATE, ALLOW_WEB, null,
                        List.of("other:" + DEFAULT_DENY), List.of()),
                new DenyCase("creating a policy in a namespace without default deny is rejected", Operation.CREATE, ALLOW_WEB, null,
                        List.of(), List.of("metadata.namespace")),
                new DenyCase("an ingress-only deny-all is not a default deny", Operation.CREATE, ALLOW_WEB, null,
                        List.of(INGRESS_ONLY_DENY), List.of("metadata.namespace")),
                new DenyCase("creating the default deny itself is allowed", Operation.CREATE, DEFAULT_DENY, null, List.of(), List.of()),
                new DenyCase("updating another policy without any default deny is rejected", Operation.UPDATE, ALLOW_WEB, ALLOW_WEB,
                        List.of(ALLOW_WEB), List.of("metadata.namespace")),
                new DenyCase("deleting the last default deny is rejected", Operation.DELETE, null, DEFAULT_DENY,
                        List.of(DEFAULT_DENY), List.of("metadata.name")),
                new DenyCase("deleting one of two default denies is allowed", Operation.DELETE, null, DEFAULT_DENY,
                        List.of(DEFAULT_DENY, "other:" + DEFAULT_DENY), List.of()),
                new DenyCase("deleting an allow policy is allowed even without default deny", Operation.DELETE, null, ALLOW_WEB,
                        List.of(), List.of()),
                new DenyCase("adding an ingress rule to the last default deny is rejected", Operation.UPDATE,
                        DEFAULT_DENY + "ingress: [{from: [{podSelector: {}}]}]\n", DEFAULT_DENY, List.of(DEFAULT_DENY), List.of("spec.ingress")),
                new DenyCase("dropping Egress from the last default deny is rejected", Operation.UPDATE,
                        "podSelector: {}\npolicyTypes: [Ingress]\n", DEFAULT_DENY, List.of(DEFAULT_DENY), List.of("spec.policyTypes")),
                new DenyCase("narrowing the last default deny's podSelector is rejected", Operation.UPDATE,
                        "podSelector: {matchLabels: {app: web}}\npolicyTypes: [Ingress, Egress]\n", DEFAULT_DENY, List.of(DEFAULT_DENY),
                        List.of("spec.podSelector")),
                new DenyCase("weakening a default deny while another remains is allowed", Operation.UPDATE,
                        "podSelector: {}\npolicyTypes: [Ingress]\n", DEFAULT_DENY, List.of(DEFAULT_DENY, "other:" + DEFAULT_DENY), List.of()),
                new DenyCase("relabelling the last default deny without weakening it is allowed", Operation.UPDATE,
                        DEFAULT_DENY + "ingress: []\n", DEFAULT_DENY, List.of(DEFAULT_DENY), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denyCases")
    void keepsADefaultDenyInEveryMatchedNamespace(DenyCase c) {
        GuardrailSnapshot s = rule("{defaultDeny: true}");
        List<NetworkPolicy> existing = c.existing().stream().map(e -> e.startsWith("other:")
                ? Fixtures.policy("other", e.substring("other:".length())) : Fixtures.policy("p", e)).toList();
        List<Violation> v = GuardrailEvaluator.evaluate(c.op(), c.newSpec() == null ? null : Fixtures.policy("p", c.newSpec()),
                c.oldSpec() == null ? null : Fixtures.policy("p", c.oldSpec()), NS, existing, s, CONFIG);
        assertEquals(c.paths(), v.stream().map(Violation::fieldPath).toList(), String.join("\n", v.stream().map(Violation::line).toList()));
    }

    @Test
    void deletingTheLastDefaultDenyExplainsWhatToDoFirst() {
        List<Violation> v = GuardrailEvaluator.evaluate(Operation.DELETE, null, Fixtures.policy("default-deny", DEFAULT_DENY), NS,
                List.of(Fixtures.policy("default-deny", DEFAULT_DENY)), rule("{defaultDeny: true}"), CONFIG);
        assertEquals("[r (idgate-system/guardrails)] metadata.name: deleting default-deny removes the last default-deny NetworkPolicy"
                + " of namespace pci-prod; create another default-deny policy (podSelector {}, policyTypes [Ingress, Egress] and no"
                + " ingress or egress rules) before deleting this one", v.get(0).line());
    }

    @Test
    void deleteChecksNothingButDefaultDeny() {
        GuardrailSnapshot s = rule("{ports: true, noAllowAll: true, identityPeers: true}");
        assertTrue(GuardrailEvaluator.evaluate(Operation.DELETE, null, Fixtures.policy("p", "podSelector: {}\ningress: [{}]\n"), NS,
                List.of(), s, CONFIG).isEmpty());
    }

    @Test
    void everyRequirementOfEveryRuleIsReportedInOneAnswer() {
        GuardrailSnapshot s = Fixtures.snapshot(Fixtures.resource("guardrails/design-example.yaml"));
        NetworkPolicy p = Fixtures.policy("p", """
                podSelector: {matchLabels: {tier: pci}}
                ingress:
                  - from:
                      - podSelector: {matchLabels: {app: web}}
                        namespaceSelector: {matchLabels: {team: shop}}
                      - ipBlock: {cidr: 0.0.0.0/0}
                """);
        List<Violation> v = GuardrailEvaluator.evaluate(Operation.CREATE, p, null, "pci-prod", List.of(), s, CONFIG);
        assertEquals(List.of("metadata.namespace", "spec.ingress[0].from[0]", "spec.ingress[0].from[0].namespaceSelector.matchLabels[team]",
                // the ipBlock peer is judged by ipBlocks alone, since the rule lists CIDRs for ingress
                "spec.ingress[0].from[0].podSelector", "spec.ingress[0].from[1].ipBlock.cidr",
                "spec.ingress[0].ports"), v.stream().map(Violation::fieldPath).toList(),
                String.join("\n", v.stream().map(Violation::line).toList()));
    }
}
