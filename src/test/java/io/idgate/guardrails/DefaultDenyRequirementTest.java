package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.guardrails.RequirementRows.Read;
import io.idgate.identity.IdentityConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** defaultDeny looks at the operation and the namespace's stored policies, so its table has both. */
class DefaultDenyRequirementTest {

    private static final String R = "[r (idgate-system/guardrails)] ";
    private static final String SHAPE = "podSelector {}, policyTypes [Ingress, Egress] and no ingress or egress rules";
    private static final NetworkPolicy DENY = Fixtures.policy("deny", "podSelector: {}\npolicyTypes: [Ingress, Egress]\n");
    private static final NetworkPolicy OTHER_DENY = Fixtures.policy("deny-2", "podSelector: {}\npolicyTypes: [Ingress, Egress]\n");
    private static final NetworkPolicy WEB = Fixtures.policy("web", "podSelector: {}\ningress: [{ports: [{port: 80}]}]\n");
    private static final NetworkPolicy DENY_OPENED = Fixtures.policy("deny", "podSelector: {}\npolicyTypes: [Ingress, Egress]\n"
            + "ingress: [{ports: [{port: 80}]}]\n");

    /**
     * @param name       what is allowed or violates, as a sentence
     * @param violations every violation line; empty when allowed
     */
    record Row(String name, Operation op, NetworkPolicy newPolicy, NetworkPolicy oldPolicy, List<NetworkPolicy> existing, List<String> violations) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> checks() {
        return Stream.of(
                new Row("creating a policy where a default deny exists is allowed", Operation.CREATE, WEB, null, List.of(DENY), List.of()),
                new Row("creating the default deny itself is allowed", Operation.CREATE, DENY, null, List.of(), List.of()),
                new Row("creating a policy in a namespace without a default deny violates", Operation.CREATE, WEB, null, List.of(),
                        List.of(R + "metadata.namespace: namespace pci-prod has no default-deny NetworkPolicy; create one first (" + SHAPE
                                + "), then add policies that allow traffic")),
                new Row("deleting a default deny while another remains is allowed", Operation.DELETE, null, DENY, List.of(DENY, OTHER_DENY), List.of()),
                new Row("deleting the last default deny violates", Operation.DELETE, null, DENY, List.of(DENY),
                        List.of(R + "metadata.name: deleting deny removes the last default-deny NetworkPolicy of namespace pci-prod;"
                                + " create another default-deny policy (" + SHAPE + ") before deleting this one")),
                new Row("weakening the last default deny violates at the weakened field", Operation.UPDATE, DENY_OPENED, DENY, List.of(DENY),
                        List.of(R + "spec.ingress: this change weakens deny, the last default-deny policy of namespace pci-prod: ingress rules"
                                + " now allow traffic in; keep " + SHAPE + " here and put allowances in a separate policy")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void checks(Row row) {
        List<Violation> v = GuardrailEvaluator.evaluate(row.op(), row.newPolicy(), row.oldPolicy(), "pci-prod", row.existing(),
                GuardrailEvaluatorTest.rule("{defaultDeny: true}"), IdentityConfig.DEFAULTS);
        assertEquals(row.violations(), v.stream().map(Violation::line).toList());
    }

    @Test
    void theAuditFindsANamespaceThatNeverHadADefaultDeny() {
        GuardrailSnapshot snapshot = GuardrailEvaluatorTest.rule("{defaultDeny: true}");
        assertEquals(List.of(R + "metadata.name: namespace pci-prod has no default-deny NetworkPolicy; create one (" + SHAPE
                + "), then add policies that allow traffic"), GuardrailEvaluator.missingDefaultDeny("pci-prod", List.of(WEB), snapshot)
                .stream().map(Violation::line).toList());
        assertEquals(List.of(), GuardrailEvaluator.missingDefaultDeny("pci-prod", List.of(WEB, DENY), snapshot));
    }

    static Stream<Read> reads() {
        return Stream.of(
                new Read("defaultDeny: true is read", "{defaultDeny: true}", new DefaultDenyRequirement()),
                new Read("defaultDeny: false alone switches nothing on", "{defaultDeny: false}",
                        "6 rules[0].require: no requirement is switched on, so the rule checks nothing; set at least one of identityPeers,"
                                + " ingressFrom, egressTo, ipBlocks, noAllowAll, ports, defaultDeny, immutableNamespaceSelectors"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void reads(Read row) {
        RequirementRows.assertRead(row);
    }
}
