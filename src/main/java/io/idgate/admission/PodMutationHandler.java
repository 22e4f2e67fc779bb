package io.idgate.admission;

import io.idgate.engine.PodMutationPreview;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /mutate/pods}: on CREATE, sets the derived identity keys and removes every other owned
 * key the requester set, with a warning per key it overrode (the decision is
 * {@link PodMutationPreview}'s). A second pass over the patched pod gives no operations (so
 * {@code reinvocationPolicy: IfNeeded} is cheap).
 */
public final class PodMutationHandler implements AdmissionHandler {

    private final PodMutationPreview preview;

    public PodMutationHandler(PodMutationPreview preview) {
        this.preview = preview;
    }

    /** The pod's identity fields only: what {@link PodMutationPreview} and the patch read. */
    @Override
    public com.fasterxml.jackson.core.filter.TokenFilter objectFields() {
        return ObjectFields.POD_IDENTITY;
    }

    @Override
    public CompletionStage<AdmissionResponse> handle(AdmissionRequest request) {
        PodObjects.requirePod(request);
        if (request.operation() != AdmissionRequest.Operation.CREATE) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed());
        }
        return preview.mutation(request.namespace(), PodObjects.requireObject(request)).thenApply(m -> m.refusal() != null
                ? AdmissionResponses.denied(List.of(m.refusal()), List.of())
                : AdmissionResponses.patched(JsonPatches.forKeyChanges(m.pod(), m.changes()), m.warnings()));
    }
}
