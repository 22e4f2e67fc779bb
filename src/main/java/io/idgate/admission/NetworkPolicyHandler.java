package io.idgate.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.guardrails.GuardrailEvaluator;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.Verdict;
import io.idgate.guardrails.Violation;
import io.idgate.identity.IdentityConfig;
import io.idgate.k8s.JsonProblems;
import io.idgate.k8s.NetworkPolicySource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code POST /validate/networkpolicies}: every violation of every guardrail rule in force, in one
 * answer. Deny rules refuse (403, one violation a line), warn rules answer {@code warnings}, audit
 * rules allow with {@code auditAnnotations}. All from memory: the snapshot and the namespace's
 * existing policies come from caches.
 */
public final class NetworkPolicyHandler implements AdmissionHandler {

    private final Supplier<GuardrailSnapshot> snapshot;
    private final NetworkPolicySource policies;
    private final IdentityConfig identityConfig;
    private final Consumer<Violation> violationCounter;

    public NetworkPolicyHandler(
            Supplier<GuardrailSnapshot> snapshot, NetworkPolicySource policies, IdentityConfig identityConfig, Consumer<Violation> violationCounter) {
        this.snapshot = snapshot;
        this.policies = policies;
        this.identityConfig = identityConfig;
        this.violationCounter = violationCounter;
    }

    @Override
    public CompletionStage<AdmissionResponse> handle(AdmissionRequest request) {
        var kind = request.kind();
        if (!"networking.k8s.io".equals(kind.group()) || !"NetworkPolicy".equals(kind.kind())) {
            throw new BadAdmissionReview("request.kind is " + kind + "; this endpoint only takes networking.k8s.io NetworkPolicies (check the webhook's rules)");
        }
        Operation operation = switch (request.operation()) {
            case CREATE -> Operation.CREATE;
            case UPDATE -> Operation.UPDATE;
            case DELETE -> Operation.DELETE;
            case CONNECT -> null;
        };
        if (operation == null) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed());
        }
        NetworkPolicy newPolicy = bind(request.object(), "request.object");
        NetworkPolicy oldPolicy = bind(request.oldObject(), "request.oldObject");
        if (operation != Operation.DELETE && newPolicy == null) {
            throw new BadAdmissionReview("request.object is missing: a " + request.operation() + " review must carry the NetworkPolicy");
        }
        if (operation == Operation.DELETE && oldPolicy == null) {
            throw new BadAdmissionReview("request.oldObject is missing: a DELETE review must carry the NetworkPolicy being deleted");
        }
        List<Violation> violations = violations(operation, newPolicy, oldPolicy, request.namespace());
        violations.forEach(violationCounter);
        return CompletableFuture.completedFuture(AdmissionResponses.judged(Verdict.of(violations)));
    }

    /**
     * Every violation of the guardrails in force by this admission, against the namespace's existing
     * policies: what {@link #handle} judges, and what {@code idgate check}/{@code audit} report, so the
     * command line and the webhook cannot disagree.
     */
    public List<Violation> violations(Operation operation, NetworkPolicy newPolicy, NetworkPolicy oldPolicy, String namespace) {
        return GuardrailEvaluator.evaluate(operation, newPolicy, oldPolicy, namespace,
                policies.inNamespace(namespace), snapshot.get(), identityConfig);
    }

    private static NetworkPolicy bind(ObjectNode object, String field) {
        if (object == null) {
            return null;
        }
        String kind = object.path("kind").asText("NetworkPolicy");
        if (!"NetworkPolicy".equals(kind)) {
            throw new BadAdmissionReview(field + ".kind is \"" + kind + "\", expected NetworkPolicy");
        }
        JsonProblems.nullListItem(object).ifPresent(item -> {
            throw new BadAdmissionReview(field + "." + item + " is null; " + JsonProblems.NULL_ITEM_FIX);
        });
        try {
            return AdmissionReviewDecoder.mapper().treeToValue(object, NetworkPolicy.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new BadAdmissionReview(field + " is not a valid NetworkPolicy: " + JsonProblems.describe(e));
        }
    }
}
