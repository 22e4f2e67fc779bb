package io.idgate.guardrails;

import static io.idgate.guardrails.RequirementRows.allows;
import static io.idgate.guardrails.RequirementRows.violates;

import io.idgate.guardrails.RequirementRows.Check;
import io.idgate.guardrails.RequirementRows.Read;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IdentityPeersRequirementTest {

    private static final String R = "[r (idgate-system/guardrails)] ";

    static Stream<Check> checks() {
        return Stream.of(
                allows("a peer selecting by a group label is allowed", "{identityPeers: true}",
                        "podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {groups.idgate.io/payments: \"true\"}}}]}]\n"),
                allows("a peer with an empty podSelector is left to the other requirements", "{identityPeers: true}",
                        "podSelector: {}\ningress: [{from: [{podSelector: {}}]}]\n"),
                violates("a peer selecting by an app label violates", "{identityPeers: true}",
                        "podSelector: {}\negress: [{to: [{podSelector: {matchLabels: {app: web}}}]}]\n",
                        R + "spec.egress[0].to[0].podSelector: selects pods by labels any pod author can set ({matchLabels: {app: web}});"
                                + " select by identity instead, e.g. {matchLabels: {idgate.io/service-account: <service account>}}"
                                + " or {matchLabels: {groups.idgate.io/<group>: \"true\"}}"));
    }

    static Stream<Read> reads() {
        return Stream.of(
                new Read("identityPeers: true is read", "{identityPeers: true}", new IdentityPeersRequirement()),
                new Read("identityPeers as a string is refused", "{identityPeers: \"true\"}",
                        "6 rules[0].require.identityPeers: expected true or false, got string \"true\"; write identityPeers: true"));
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
