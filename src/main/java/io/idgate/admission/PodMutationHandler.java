package io.idgate.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.identity.DerivedIdentity;
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
        return mutation(request.namespace(), PodObjects.requireObject(request)).thenApply(m -> m.refusal() != null
                ? AdmissionResponses.denied(List.of(m.refusal()), List.of())
                : AdmissionResponses.patched(JsonPatches.forKeyChanges(m.pod(), m.changes()), m.warnings()));
    }

    /**
     * What CREATE of {@code pod} in {@code namespace} gets: the derived identity, the key changes (the
     * patch) and the warnings, or the refusal line when its ServiceAccount cannot be read. The webhook
     * answers from it and {@code idgate check} previews pods and pod templates with it.
     *
     * @param pod a raw pod tree; throws {@link BadAdmissionReview} when its labels or annotations are not string maps
     */
    public CompletionStage<Mutation> mutation(String namespace, ObjectNode pod) {
        var labels = PodObjects.labels(pod);
        var annotations = PodObjects.annotations(pod);
        String serviceAccount = PodObjects.serviceAccountName(pod);
        return identities.resolve(namespace, serviceAccount).thenApply(outcome -> {
            if (outcome instanceof PodIdentities.Refused refused) {
                return new Mutation(pod, serviceAccount, DerivedIdentity.NONE, List.of(), List.of(), refused.message());
            }
            var derived = (PodIdentities.Derived) outcome;
            List<KeyChange> changes = IdentityDiff.changes(identities.deriver().keys(), labels, annotations, derived.identity());
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
            return new Mutation(pod, serviceAccount, derived.identity(), changes, warnings, null);
        });
    }

    /**
     * The outcome of {@link #mutation}.
     *
     * @param identity the keys the pod ends up with ({@link DerivedIdentity#NONE} when refused or on-missing=allow)
     * @param refusal  the refusal line, or null when the pod is admitted
     */
    public record Mutation(ObjectNode pod, String serviceAccount, DerivedIdentity identity, List<KeyChange> changes,
            List<String> warnings, String refusal) {
        public Mutation {
            changes = List.copyOf(changes);
            warnings = List.copyOf(warnings);
        }
    }
}
