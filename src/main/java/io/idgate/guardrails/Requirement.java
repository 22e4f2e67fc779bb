package io.idgate.guardrails;

import io.idgate.yaml.Fields;
import java.util.List;

/**
 * One key of {@code rules[].require} (design §3): each subtype reads its own key, checks a NetworkPolicy
 * admission and words its own violations. A new requirement is one new subtype, listed in
 * {@code permits} and in {@link #KINDS}, with its tests and its row in the requirement table of docs/guardrails.md.
 *
 * <p>{@link GuardrailEvaluator} decides whether a rule applies and to which object; the requirement
 * only looks at what it is given. Violations are sorted afterwards, so the order requirements report
 * in does not matter.
 */
public sealed interface Requirement
        permits IdentityPeersRequirement, PeerIdentitiesRequirement, IpBlocksRequirement, NoAllowAllRequirement,
        PortsRequirement, DefaultDenyRequirement, ImmutableNamespaceSelectorsRequirement {

    /** Reads one key of {@code require:}; null when the key is absent, switched off or (with an error) wrong. */
    @FunctionalInterface
    interface Reader {
        Requirement read(Fields require, String field, DocumentContext doc);
    }

    /** A key of {@code require:} and its reader. */
    record Kind(String field, Reader reader) {}

    /** The keys of {@code require:}, in the order they are read and named in messages. */
    List<Kind> KINDS = List.of(
            new Kind("identityPeers", IdentityPeersRequirement::read),
            new Kind("ingressFrom", PeerIdentitiesRequirement::read),
            new Kind("egressTo", PeerIdentitiesRequirement::read),
            new Kind("ipBlocks", IpBlocksRequirement::read),
            new Kind("noAllowAll", NoAllowAllRequirement::read),
            new Kind("ports", PortsRequirement::read),
            new Kind("defaultDeny", DefaultDenyRequirement::read),
            new Kind("immutableNamespaceSelectors", ImmutableNamespaceSelectorsRequirement::read));

    /** The key of {@code require:} it was read from: its name in reports (SARIF rule ids, PolicyReport rules). */
    String field();

    /** The field names of {@link #KINDS}. */
    List<String> FIELDS = KINDS.stream().map(Kind::field).toList();

    /**
     * Checks the ingress and egress rules of the policy being written. Called on CREATE and UPDATE when
     * the rule applies to the new object; DELETE only removes allowances.
     */
    default void checkTraffic(List<TrafficRule> traffic, RuleCheck check) {}

    /**
     * Checks the admission as a whole, whatever the operation and whether or not the rule applies to
     * the new object: for requirements about the namespace's policies together (default deny).
     */
    default void checkAdmission(RuleCheck check) {}
}
