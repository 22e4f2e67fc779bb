package io.idgate.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.Verdict;
import io.idgate.guardrails.Violation;
import io.idgate.engine.NetworkPolicyJudge;
import io.idgate.engine.ReachPreview;
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
 * <p>With a {@link ReachPreview}, every CREATE, UPDATE and DELETE answer also carries what the change
 * opens and closes between identities, as warnings after the guardrails' own: allowed or denied stays
 * the guardrails' decision (so {@code kubectl apply --dry-run=server} shows the effect either way).
 */
public final class NetworkPolicyHandler implements AdmissionHandler {

    private final NetworkPolicyJudge judge;
    private final Consumer<Violation> violationCounter;
    private final ReachPreview preview;

    /** Without the reachability preview. */
    public NetworkPolicyHandler(NetworkPolicyJudge judge, Consumer<Violation> violationCounter) {
        this(judge, violationCounter, null);
    }

    /** @param preview null: no preview ({@code idgate.reach.preview=false}) */
    public NetworkPolicyHandler(NetworkPolicyJudge judge, Consumer<Violation> violationCounter, ReachPreview preview) {
        this.judge = judge;
        this.violationCounter = violationCounter;
        this.preview = preview;
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
        violations.forEach(violationCounter);
        AdmissionResponse judged = AdmissionResponses.judged(Verdict.of(violations));
        if (preview == null) {
            return CompletableFuture.completedFuture(judged);
        }
        return preview.warnings(operation, newPolicy, oldPolicy, request.namespace()).thenApply(lines -> {
            if (lines.isEmpty()) {
                return judged;
            }
            List<String> warnings = new ArrayList<>(judged.warnings());
            warnings.addAll(lines);
            // the decision (and its metric label) stays the guardrails'
            return new AdmissionResponse(judged.allowed(), judged.patch(), warnings, judged.status(), judged.auditAnnotations(), judged.decision());
        });
    }

    private static NetworkPolicy bind(ObjectNode object, String field) {
        return object == null ? null : NetworkPolicyBinder.bind(object, field);
    }
}
