package io.idgate.guardrails;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.idgate.identity.IdentityConfig;
import io.idgate.netpol.LabelSelector;
import io.idgate.netpol.Selectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates a NetworkPolicy admission against every guardrail rule in force (docs/guardrails.md).
 *
 * <p><b>Applicability.</b> A rule applies when the request namespace matches {@code match.namespaces}
 * and no {@code match.excludeNamespaces} glob, and the policy's {@code spec.podSelector} (absent =
 * {@code {}}, every pod) {@linkplain Selectors#mayOverlap may overlap} {@code match.podSelector}. The
 * checks of the policy's rules and peers look at the new object of CREATE and UPDATE; DELETE only
 * removes allowances, so it is checked for {@code defaultDeny} alone (against the old object). What
 * each requirement checks and how it words a violation is its own {@link Requirement} subtype's.
 *
 * <p><b>Output.</b> Every violation of every applicable rule, whatever its action, sorted by
 * {@link Violation#ORDER} (rule, then field path, then problem). The caller splits them by
 * {@link Violation#action()}: deny lines go to the denial message, warn lines to {@code warnings},
 * audit lines to audit annotations. Each {@link Violation#line()} reads
 * {@code [<rule> (<configmap ns>/<configmap name>)] <field path>: <what is wrong>; <how to fix>}.
 *
 * <p>Pure and stateless: no input is modified.
 */
public final class GuardrailEvaluator {

    private GuardrailEvaluator() {}

    /**
     * All violations of {@code snapshot}'s rules by this admission.
     *
     * @param operation         CREATE, UPDATE or DELETE
     * @param newPolicy         the object being written; null on DELETE
     * @param oldPolicy         the object before; null on CREATE (null on UPDATE is tolerated: weakening
     *                          then cannot be seen)
     * @param namespace         the request namespace (not read from the object)
     * @param existingPolicies  the NetworkPolicies of {@code namespace} as stored now (may include the old
     *                          version of this policy, which is matched by name and ignored); null = none
     * @param snapshot          the guardrails in force
     * @param config            the label prefix and trust domain identity labels use
     * @throws IllegalArgumentException when an object the operation needs is missing
     */
    public static List<Violation> evaluate(
            Operation operation,
            NetworkPolicy newPolicy,
            NetworkPolicy oldPolicy,
            String namespace,
            List<NetworkPolicy> existingPolicies,
            GuardrailSnapshot snapshot,
            IdentityConfig config) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(config, "config");
        if (operation != Operation.DELETE && newPolicy == null) {
            throw new IllegalArgumentException(operation + " needs the new NetworkPolicy");
        }
        if (operation == Operation.DELETE && oldPolicy == null) {
            throw new IllegalArgumentException("DELETE needs the old NetworkPolicy");
        }
        List<NetworkPolicy> existing = existingPolicies == null ? List.of() : existingPolicies;
        List<Violation> out = new ArrayList<>();
        List<TrafficRule> traffic = null; // read once, for the first rule that applies to the new object
        for (Rule rule : snapshot.rules()) {
            if (!rule.match().matchesNamespace(namespace)) {
                continue;
            }
            boolean newApplies = operation != Operation.DELETE && applies(rule, newPolicy);
            boolean oldApplies = oldPolicy != null && applies(rule, oldPolicy);
            RuleCheck check = new RuleCheck(rule, operation, newPolicy, oldPolicy, namespace, existing, config, newApplies, oldApplies, out);
            if (newApplies && traffic == null) {
                traffic = TrafficRule.of(newPolicy.getSpec());
            }
            for (Requirement requirement : rule.requirements()) {
                check.checking(requirement);
                if (newApplies) {
                    requirement.checkTraffic(traffic, check);
                }
                requirement.checkAdmission(check);
            }
        }
        out.sort(Violation.ORDER);
        return List.copyOf(out);
    }

    /**
     * For a namespace as it stands (the audit): one violation per {@code defaultDeny} rule matching
     * {@code namespace} when none of {@code policies} (the namespace's NetworkPolicies) is a default
     * deny. Admission only sees this when another policy is created there; the audit finds namespaces
     * that never had one.
     */
    public static List<Violation> missingDefaultDeny(String namespace, List<NetworkPolicy> policies, GuardrailSnapshot snapshot) {
        if (policies.stream().anyMatch(GuardrailEvaluator::isDefaultDeny)) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        for (Rule rule : snapshot.rules()) {
            if (rule.has(DefaultDenyRequirement.class) && rule.match().matchesNamespace(namespace)) {
                out.add(DefaultDenyRequirement.missing(rule, namespace));
            }
        }
        out.sort(Violation.ORDER);
        return List.copyOf(out);
    }

    /**
     * True for a namespace-wide default-deny policy: {@code spec.podSelector} empty (or absent),
     * {@code policyTypes} containing both Ingress and Egress, and no ingress or egress rules.
     */
    public static boolean isDefaultDeny(NetworkPolicy policy) {
        return DefaultDenyRequirement.isDefaultDeny(policy);
    }

    private static boolean applies(Rule rule, NetworkPolicy policy) {
        NetworkPolicySpec spec = policy.getSpec();
        LabelSelector selected = spec == null ? null : LabelSelector.fromModel(spec.getPodSelector());
        return Selectors.mayOverlap(selected == null ? LabelSelector.ALL : selected, rule.match().podSelector());
    }
}
