package io.idgate.guardrails;

import static io.idgate.guardrails.RequirementRows.allows;
import static io.idgate.guardrails.RequirementRows.violates;

import io.idgate.guardrails.RequirementRows.Check;
import io.idgate.guardrails.RequirementRows.Read;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PortsRequirementTest {

    static Stream<Check> checks() {
        return Stream.of(
                allows("a rule that lists its ports is allowed", "{ports: true}", "podSelector: {}\ningress: [{ports: [{port: 8443}]}]\n"),
                allows("a policy without rules opens no port", "{ports: true}", "podSelector: {}\npolicyTypes: [Ingress]\n"),
                violates("an ingress rule without ports allows every port", "{ports: true}", "podSelector: {}\ningress: [{}]\n",
                        "[r (idgate-system/guardrails)] spec.ingress[0].ports: the rule allows every port; list only the ports"
                                + " the traffic needs, e.g. ports: [{protocol: TCP, port: 8443}]"),
                violates("an egress rule with an empty ports list allows every port", "{ports: true}",
                        "podSelector: {}\negress: [{to: [{podSelector: {}}], ports: []}]\n",
                        "[r (idgate-system/guardrails)] spec.egress[0].ports: the rule allows every port; list only the ports"
                                + " the traffic needs, e.g. ports: [{protocol: TCP, port: 8443}]"));
    }

    static Stream<Read> reads() {
        return Stream.of(
                new Read("ports: true is read", "{ports: true}", new PortsRequirement()),
                new Read("ports: yes is refused as ambiguous", "{ports: yes}", "6 rules[0].require.ports: \"yes\" is ambiguous YAML; write true or false"));
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
