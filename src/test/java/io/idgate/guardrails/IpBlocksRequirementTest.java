package io.idgate.guardrails;

import static io.idgate.guardrails.RequirementRows.allows;
import static io.idgate.guardrails.RequirementRows.violates;

import io.idgate.guardrails.RequirementRows.Check;
import io.idgate.guardrails.RequirementRows.Read;
import io.idgate.netpol.Cidr;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IpBlocksRequirementTest {

    private static final String R = "[r (idgate-system/guardrails)] ";

    static Stream<Check> checks() {
        return Stream.of(
                allows("an ipBlock inside an allowed CIDR is allowed", "{ipBlocks: {egress: [\"10.20.0.0/16\"]}}",
                        "podSelector: {}\negress: [{to: [{ipBlock: {cidr: 10.20.1.0/24}}]}]\n"),
                allows("a direction without a list is not checked", "{ipBlocks: {egress: []}}",
                        "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]\n"),
                violates("an ipBlock outside the allowed CIDRs violates", "{ipBlocks: {egress: [\"10.20.0.0/16\"]}}",
                        "podSelector: {}\negress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]\n",
                        R + "spec.egress[0].to[0].ipBlock.cidr: 0.0.0.0/0 is not inside an allowed CIDR (10.20.0.0/16); 0.0.0.0/0 means every"
                                + " address and is allowed only when listed itself; use a CIDR inside 10.20.0.0/16 (an except list does not narrow"
                                + " the block for this check)"),
                violates("an empty list allows no ipBlock at all", "{ipBlocks: {ingress: []}}",
                        "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]\n",
                        R + "spec.ingress[0].from[0].ipBlock.cidr: ipBlock 10.0.0.0/8 is not allowed: this rule allows no ipBlock for ingress;"
                                + " select the peer by identity (a podSelector on idgate.io labels) instead of by address"));
    }

    static Stream<Read> reads() {
        return Stream.of(
                new Read("both directions are read", "{ipBlocks: {ingress: [], egress: [\"10.20.0.0/16\"]}}",
                        new IpBlocksRequirement(List.of(), List.of(Cidr.parse("10.20.0.0/16")))),
                new Read("a CIDR with host bits is refused with the prefix to write", "{ipBlocks: {egress: [\"10.20.1.0/8\"]}}",
                        "6 rules[0].require.ipBlocks.egress[0]: \"10.20.1.0/8\" has bits set after the prefix; write 10.0.0.0/8 (or the prefix you meant)"),
                new Read("an empty ipBlocks is refused", "{ipBlocks: {}}",
                        "6 rules[0].require.ipBlocks: empty; list allowed CIDRs under ingress: and/or egress: ([] allows no ipBlock)"));
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
