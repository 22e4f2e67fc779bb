package io.idgate.guardrails;

import static io.idgate.guardrails.RequirementRows.allows;
import static io.idgate.guardrails.RequirementRows.violates;

import io.idgate.guardrails.RequirementRows.Check;
import io.idgate.guardrails.RequirementRows.Read;
import io.idgate.netpol.Direction;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PeerIdentitiesRequirementTest {

    private static final String R = "[r (idgate-system/guardrails)] ";

    static Stream<Check> checks() {
        return Stream.of(
                allows("an ingress peer pinned to a listed group is allowed", "{ingressFrom: [\"group:payments\"]}",
                        "podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {groups.idgate.io/payments: \"true\"}}, namespaceSelector: {}}]}]\n"),
                allows("egress is not checked by ingressFrom", "{ingressFrom: [\"group:payments\"]}",
                        "podSelector: {}\negress: [{to: [{podSelector: {matchLabels: {app: web}}}]}]\n"),
                violates("a peer that can select other identities violates", "{ingressFrom: [\"group:payments\"]}",
                        "podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]\n",
                        R + "spec.ingress[0].from[0]: the peer {podSelector: {matchLabels: {app: web}}} can select pods whose identity is not one of"
                                + " group:payments; use peer {namespaceSelector: {}, podSelector: {matchLabels: {groups.idgate.io/payments: \"true\"}}}"),
                violates("an egress rule without to allows every destination", "{egressTo: [\"namespace:monitoring\"]}",
                        "podSelector: {}\negress: [{ports: [{port: 443}]}]\n",
                        R + "spec.egress[0].to: missing, so every destination is allowed, not only namespace:monitoring;"
                                + " use peer {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}, podSelector: {}} under to"));
    }

    static Stream<Read> reads() {
        return Stream.of(
                new Read("ingressFrom reads identity references", "{ingressFrom: [\"group:payments\", \"serviceAccount:frontend/web\"]}",
                        new PeerIdentitiesRequirement(Direction.INGRESS, List.of(new IdentityRef.GroupRef("payments"),
                                new IdentityRef.ServiceAccountRef("frontend", "web")))),
                new Read("egressTo reads the egress direction", "{egressTo: [\"namespace:monitoring\"]}",
                        new PeerIdentitiesRequirement(Direction.EGRESS, List.of(new IdentityRef.NamespaceRef("monitoring")))),
                new Read("a misspelt reference kind suggests the right one", "{ingressFrom: [\"groop:payments\"]}",
                        "6 rules[0].require.ingressFrom[0]: \"groop:payments\" is not an identity reference; use group:<name>,"
                                + " serviceAccount:<namespace>/<name>, namespace:<name> or spiffe://<trust-domain>/<path> (did you mean group:?)"),
                new Read("a group not defined in the document is refused", "{egressTo: [\"group:billing\"]}",
                        "6 rules[0].require.egressTo[0]: group \"billing\" is not defined in this document; define it under groups: here"
                                + " or use one of payments"));
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
