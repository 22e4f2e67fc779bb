package io.idgate.guardrails;

import io.idgate.netpol.DefaultDeny;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.idgate.netpol.LabelSelector;
import io.idgate.yaml.Fields;
import java.util.List;

/**
 * {@code defaultDeny: true}: a matched namespace keeps a default-deny policy. A violation is deleting
 * or weakening the last one, or creating any other policy in a namespace that has none. Unlike the
 * other requirements it looks at the namespace's stored policies, and at DELETE.
 */
public record DefaultDenyRequirement() implements Requirement {

    @Override
    public String field() {
        return "defaultDeny";
    }

    static final String SHAPE = "podSelector {}, policyTypes [Ingress, Egress] and no ingress or egress rules";

    static Requirement read(Fields require, String field, DocumentContext doc) {
        return require.bool(field) ? new DefaultDenyRequirement() : null;
    }

    /**
     * True for a namespace-wide default-deny policy: {@code spec.podSelector} empty (or absent),
     * {@code policyTypes} containing both Ingress and Egress, and no ingress or egress rules.
     */
    public static boolean isDefaultDeny(NetworkPolicy policy) {
        return DefaultDeny.is(policy);
    }

    /** For the audit: {@code rule} finds namespace {@code namespace} without a default-deny policy. */
    static Violation missing(Rule rule, String namespace) {
        return new Violation(rule.name(), rule.source().configMap(), rule.action(), "metadata.name",
                "namespace " + namespace + " has no default-deny NetworkPolicy",
                "create one (" + SHAPE + "), then add policies that allow traffic", "defaultDeny");
    }

    @Override
    public void checkAdmission(RuleCheck check) {
        Operation op = check.operation();
        NetworkPolicy oldPolicy = check.oldPolicy();
        NetworkPolicy newPolicy = check.newPolicy();
        String namespace = check.namespace();
        String self = name(op == Operation.DELETE ? oldPolicy : newPolicy);
        // the stored version of this very policy does not count: it is the one being changed
        boolean another = check.existing().stream()
                .filter(p -> self == null || !self.equals(name(p)))
                .anyMatch(DefaultDenyRequirement::isDefaultDeny);
        if (another) {
            return;
        }
        if (op == Operation.DELETE) {
            if (check.oldApplies() && isDefaultDeny(oldPolicy)) {
                check.violation("metadata.name", "deleting " + self + " removes the last default-deny NetworkPolicy of namespace "
                        + namespace, "create another default-deny policy (" + SHAPE + ") before deleting this one");
            }
            return;
        }
        if (op == Operation.UPDATE && check.oldApplies() && isDefaultDeny(oldPolicy)) {
            String[] weak = DefaultDeny.weakness(newPolicy.getSpec()).map(f -> new String[] {f.field(), f.message()}).orElse(null);
            if (weak != null) {
                check.violation(weak[0], "this change weakens " + self + ", the last default-deny policy of namespace " + namespace
                        + ": " + weak[1], "keep " + SHAPE + " here and put allowances in a separate policy");
            }
            return;
        }
        if (check.newApplies() && !isDefaultDeny(newPolicy)) {
            check.violation("metadata.namespace", "namespace " + namespace + " has no default-deny NetworkPolicy",
                    "create one first (" + SHAPE + "), then add policies that allow traffic");
        }
    }

    private static String name(NetworkPolicy p) {
        return p == null || p.getMetadata() == null ? null : p.getMetadata().getName();
    }
}
