package io.idgate.guardrails;

import static io.idgate.guardrails.RequirementRows.allows;
import static io.idgate.guardrails.RequirementRows.violates;

import io.idgate.guardrails.RequirementRows.Check;
import io.idgate.guardrails.RequirementRows.Read;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImmutableNamespaceSelectorsRequirementTest {

    private static final String R = "[r (idgate-system/guardrails)] ";

    static Stream<Check> checks() {
        return Stream.of(
                allows("a namespaceSelector on kubernetes.io/metadata.name is allowed", "{immutableNamespaceSelectors: true}",
                        "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}}]}]\n"),
                allows("the empty namespaceSelector is allowed", "{immutableNamespaceSelectors: true}",
                        "podSelector: {}\ningress: [{from: [{namespaceSelector: {}}]}]\n"),
                violates("a team label and an expression on another key both violate", "{immutableNamespaceSelectors: true}",
                        "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: ops}, matchExpressions: [{key: env, operator: Exists}]}}]}]\n",
                        R + "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0]: selects namespaces by label env, which namespace owners"
                                + " can change; select namespaces only by kubernetes.io/metadata.name (set by the API server), e.g."
                                + " {matchLabels: {kubernetes.io/metadata.name: <namespace>}}",
                        R + "spec.ingress[0].from[0].namespaceSelector.matchLabels[team]: selects namespaces by label team, which namespace owners"
                                + " can change; select namespaces only by kubernetes.io/metadata.name (set by the API server), e.g."
                                + " {matchLabels: {kubernetes.io/metadata.name: <namespace>}}"));
    }

    static Stream<Read> reads() {
        return Stream.of(
                new Read("immutableNamespaceSelectors: true is read", "{immutableNamespaceSelectors: true}", new ImmutableNamespaceSelectorsRequirement()),
                new Read("a misspelt immutableNamespaceSelectors suggests the key", "{immutableNamespaceSelector: true}",
                        "6 rules[0].require.immutableNamespaceSelector: unknown field; did you mean immutableNamespaceSelectors? (valid here: identityPeers,"
                                + " ingressFrom, egressTo, ipBlocks, noAllowAll, ports, defaultDeny, immutableNamespaceSelectors)"));
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
