package io.idgate.netpol;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.List;
import java.util.Optional;

/**
 * The default-deny policy: {@code podSelector: {}}, both policyTypes, no rule. It isolates every pod
 * of its namespace in both directions and allows nothing, so every other policy there is an explicit
 * allowance (what the {@code defaultDeny} guardrail and the audit look for).
 */
public final class DefaultDeny {

    private DefaultDeny() {}

    public static boolean is(NetworkPolicy policy) {
        return policy != null && weakness(policy.getSpec()).isEmpty();
    }

    /** Empty when {@code spec} is a default deny; else the field that keeps it from being one, and why. */
    public static Optional<FieldProblem> weakness(NetworkPolicySpec spec) {
        if (spec == null) {
            return Optional.of(new FieldProblem("spec", "it has no spec"));
        }
        LabelSelector ps = LabelSelector.fromModel(spec.getPodSelector());
        if (ps != null && !ps.isEmpty()) {
            return Optional.of(new FieldProblem("spec.podSelector", "podSelector " + ps.toFlow() + " no longer covers every pod"));
        }
        List<String> types = spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
        if (!types.contains("Ingress") || !types.contains("Egress")) {
            return Optional.of(new FieldProblem("spec.policyTypes", "policyTypes " + types + " no longer denies both Ingress and Egress"));
        }
        if (spec.getIngress() != null && !spec.getIngress().isEmpty()) {
            return Optional.of(new FieldProblem("spec.ingress", "ingress rules now allow traffic in"));
        }
        if (spec.getEgress() != null && !spec.getEgress().isEmpty()) {
            return Optional.of(new FieldProblem("spec.egress", "egress rules now allow traffic out"));
        }
        return Optional.empty();
    }
}
