package io.idgate.engine;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.guardrails.GuardrailEvaluator;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.Violation;
import io.idgate.identity.IdentityConfig;
import io.idgate.k8s.NetworkPolicySource;
import java.util.List;
import java.util.function.Supplier;

/**
 * Judges a NetworkPolicy admission against the guardrails in force and the namespace's existing
 * policies: what the webhook answers and what {@code idgate check}, the audit and the query API
 * report, so the command line and the webhook cannot disagree.
 */
public final class NetworkPolicyJudge {

    private final Supplier<GuardrailSnapshot> snapshot;
    private final NetworkPolicySource policies;
    private final IdentityConfig identityConfig;

    public NetworkPolicyJudge(Supplier<GuardrailSnapshot> snapshot, NetworkPolicySource policies, IdentityConfig identityConfig) {
        this.snapshot = snapshot;
        this.policies = policies;
        this.identityConfig = identityConfig;
    }

    /** Every violation of every rule in force by this admission (all of them, never the first only). */
    public List<Violation> violations(Operation operation, NetworkPolicy newPolicy, NetworkPolicy oldPolicy, String namespace) {
        return GuardrailEvaluator.evaluate(operation, newPolicy, oldPolicy, namespace,
                policies.inNamespace(namespace), snapshot.get(), identityConfig);
    }
}
