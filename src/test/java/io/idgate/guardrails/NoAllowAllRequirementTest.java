package io.idgate.guardrails;

import static io.idgate.guardrails.RequirementRows.allows;
import static io.idgate.guardrails.RequirementRows.violates;

import io.idgate.guardrails.RequirementRows.Check;
import io.idgate.guardrails.RequirementRows.Read;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NoAllowAllRequirementTest {

    private static final String R = "[r (idgate-system/guardrails)] ";

    static Stream<Check> checks() {
        return Stream.of(
                allows("a rule with listed peers is allowed", "{noAllowAll: true}",
                        "podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]\n"),
                allows("namespaceSelector {} restricted by a podSelector is allowed", "{noAllowAll: true}",
                        "podSelector: {}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]}]\n"),
                violates("an ingress rule without from allows every source", "{noAllowAll: true}", "podSelector: {}\ningress: [{ports: [{port: 80}]}]\n",
                        R + "spec.ingress[0].from: missing, so the rule allows every source (all pods of all namespaces and all addresses);"
                                + " list the allowed peers under from"),
                violates("a bare namespaceSelector {} admits every pod of every namespace", "{noAllowAll: true}",
                        "podSelector: {}\negress: [{to: [{namespaceSelector: {}}]}]\n",
                        R + "spec.egress[0].to[0]: namespaceSelector {} with no pod restriction admits every pod of every namespace;"
                                + " add a podSelector that pins the peer to an identity, e.g. podSelector {matchLabels: {groups.idgate.io/<group>: \"true\"}}"));
    }

    static Stream<Read> reads() {
        return Stream.of(
                new Read("noAllowAll: true is read", "{noAllowAll: true}", new NoAllowAllRequirement()),
                new Read("noAllowAll as a number is refused", "{noAllowAll: 1}",
                        "6 rules[0].require.noAllowAll: expected true or false, got number 1; write noAllowAll: true"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void checks(Check row) {
        RequirementRows.assertCheck(row);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void reads(Read row) {
        RequirementRows.assertRead(row);
    }
}
