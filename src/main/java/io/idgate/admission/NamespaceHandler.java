package io.idgate.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.PodFields;
import io.idgate.engine.ReachAdmission;
import io.idgate.guardrails.Verdict;
import io.idgate.guardrails.Violation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * {@code POST /validate/namespaces}: an UPDATE that changes a namespace's labels is judged against the
 * invariants in force, since every {@code namespaceSelector} of every policy sees the new labels (a
 * relabel can let a whole namespace into a protected identity). Everything else is allowed.
 */
public final class NamespaceHandler implements AdmissionHandler {

    private final ReachAdmission reach;
    private final Consumer<Violation> violationCounter;

    /** @param reach null: invariants are off ({@code idgate.reach.invariants=false}), everything is allowed */
    public NamespaceHandler(ReachAdmission reach, Consumer<Violation> violationCounter) {
        this.reach = reach;
        this.violationCounter = violationCounter;
    }

    @Override
    public CompletionStage<AdmissionResponse> handle(AdmissionRequest request) {
        var kind = request.kind();
        if (!kind.group().isEmpty() || !"Namespace".equals(kind.kind())) {
            throw new BadAdmissionReview("request.kind is " + kind + "; this endpoint only takes Namespaces (check the webhook's rules)");
        }
        if (reach == null || request.operation() != AdmissionRequest.Operation.UPDATE) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed());
        }
        ObjectNode namespace = request.object();
        if (namespace == null || request.oldObject() == null) {
            throw new BadAdmissionReview("request.object and request.oldObject are required: an UPDATE review must carry both namespaces");
        }
        var labels = PodFields.labels(namespace);
        if (java.util.Objects.equals(labels, PodFields.labels(request.oldObject()))) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed());
        }
        String name = request.name() != null && !request.name().isEmpty() ? request.name() : namespace.path("metadata").path("name").asText("");
        return reach.namespace(name, labels == null ? java.util.Map.of() : labels).thenApply(violations -> {
            violations.forEach(violationCounter);
            return AdmissionResponses.judged(Verdict.of(violations));
        });
    }
}
