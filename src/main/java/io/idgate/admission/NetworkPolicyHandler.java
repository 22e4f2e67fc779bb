package io.idgate.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.Verdict;
import io.idgate.guardrails.Violation;
import io.idgate.engine.NetworkPolicyJudge;
import io.idgate.engine.ReachAdmission;
import io.idgate.k8s.NetworkPolicyBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * {@code POST /validate/networkpolicies}: every violation of every guardrail rule in force, in one
 * answer. Deny rules refuse (403, one violation a line), warn rules answer {@code warnings}, audit
 * rules allow with {@code auditAnnotations}. The judgement is {@link NetworkPolicyJudge}'s; all from
 * memory: the snapshot and the namespace's existing policies come from caches.
 *
 * <p>With {@link ReachAdmission}, every CREATE, UPDATE and DELETE is also judged against the
 * invariants in force (their violations count like any rule's), and its answer carries what the change
 * opens and closes between identities, as warnings after the guardrails' own: the preview itself never
 * decides (so {@code kubectl apply --dry-run=server} shows the effect either way).
 */
public final class NetworkPolicyHandler implements AdmissionHandler {

    private final NetworkPolicyJudge judge;
    private final Consumer<Violation> violationCounter;
    private final ReachAdmission reach;

    /** Without reachability: no preview, no invariants. */
    public NetworkPolicyHandler(NetworkPolicyJudge judge, Consumer<Violation> violationCounter) {
        this(judge, violationCounter, null);
    }

    /** @param reach null: neither preview nor invariants */
    public NetworkPolicyHandler(NetworkPolicyJudge judge, Consumer<Violation> violationCounter, ReachAdmission reach) {
        this.judge = judge;
        this.violationCounter = violationCounter;
        this.reach = reach;
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
        List<Violation> violations = judge.violations(operation, newPolicy, oldPolicy, request.namespace());
        if (reach == null) {
            violations.forEach(violationCounter);
            return CompletableFuture.completedFuture(AdmissionResponses.judged(Verdict.of(violations)));
        }
        return reach.policy(operation, newPolicy, oldPolicy, request.namespace()).thenApply(outcome -> {
            List<Violation> all = new ArrayList<>(violations);
            all.addAll(outcome.violations());
            all.forEach(violationCounter);
            AdmissionResponse judged = AdmissionResponses.judged(Verdict.of(all));
            if (outcome.preview().isEmpty()) {
                return judged;
            }
            List<String> warnings = new ArrayList<>(judged.warnings());
            warnings.addAll(outcome.preview());
            // the decision (and its metric label) stays the guardrails' and invariants'
            return new AdmissionResponse(judged.allowed(), judged.patch(), warnings, judged.status(), judged.auditAnnotations(), judged.decision());
        });
    }

    private static NetworkPolicy bind(ObjectNode object, String field) {
        return object == null ? null : NetworkPolicyBinder.bind(object, field);
    }
}
