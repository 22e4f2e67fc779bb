package io.idgate.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.identity.IdentityDiff;
import io.idgate.identity.KeyChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /mutate/pods}: on CREATE, sets the derived identity keys and removes every other owned
 * key the requester set, with a warning per key it overrode. A second pass over the patched pod gives
 * no operations (so {@code reinvocationPolicy: IfNeeded} is cheap).
 */
public final class PodMutationHandler implements AdmissionHandler {

    private final PodIdentities identities;

    public PodMutationHandler(PodIdentities identities) {
        this.identities = identities;
    }

    @Override
    public CompletionStage<AdmissionResponse> handle(AdmissionRequest request) {
        PodObjects.requirePod(request);
        if (request.operation() != AdmissionRequest.Operation.CREATE) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed());
        }
        ObjectNode pod = PodObjects.requireObject(request);
        return identities.resolve(request.namespace(), PodObjects.serviceAccountName(pod)).thenApply(outcome -> {
            if (outcome instanceof PodIdentities.Refused refused) {
                return AdmissionResponses.denied(List.of(refused.message()), List.of());
            }
            var derived = (PodIdentities.Derived) outcome;
            List<KeyChange> changes = IdentityDiff.changes(
                    identities.deriver().keys(), PodObjects.labels(pod), PodObjects.annotations(pod), derived.identity());
            List<String> warnings = new ArrayList<>();
            if (derived.warning() != null) {
                warnings.add(derived.warning());
            }
            warnings.addAll(derived.tokenWarnings());
            for (KeyChange change : changes) {
                if (!change.isAdd()) {
                    warnings.add(change.overrideWarning());
                }
            }
            return AdmissionResponses.patched(JsonPatches.forKeyChanges(pod, changes), warnings);
        });
    }
}
