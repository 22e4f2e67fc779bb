package io.idgate.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.IdentityDiff;
import io.idgate.identity.IdentityKeys;
import io.idgate.identity.KeyChange;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /validate/pods}: the last word on identity keys, after every mutating webhook ran.
 *
 * <ul>
 *   <li>CREATE: the pod's owned keys must equal the derivation exactly (a later mutator that rewrote
 *       them, or a mutating webhook that never ran, is refused).
 *   <li>UPDATE: owned keys may not change. One exception, the backfill: a pod that had no owned key
 *       at all may be given exactly the derived keys (pods created before idgate was installed).
 *   <li>DELETE, CONNECT: allowed.
 * </ul>
 */
public final class PodValidationHandler implements AdmissionHandler {

    private final PodIdentities identities;

    public PodValidationHandler(PodIdentities identities) {
        this.identities = identities;
    }

    @Override
    public CompletionStage<AdmissionResponse> handle(AdmissionRequest request) {
        PodObjects.requirePod(request);
        return switch (request.operation()) {
            case CREATE -> againstDerivation(PodObjects.requireObject(request), request.namespace());
            case UPDATE -> update(request);
            case DELETE, CONNECT -> CompletableFuture.completedFuture(AdmissionResponses.allowed());
        };
    }

    private CompletionStage<AdmissionResponse> update(AdmissionRequest request) {
        ObjectNode pod = PodObjects.requireObject(request);
        if (request.oldObject() == null) {
            throw new BadAdmissionReview("request.oldObject is missing: an UPDATE review must carry the old pod");
        }
        IdentityKeys keys = identities.deriver().keys();
        DerivedIdentity before = IdentityDiff.ownedOf(keys, PodObjects.labels(request.oldObject()), PodObjects.annotations(request.oldObject()));
        if (before.labels().isEmpty() && before.annotations().isEmpty()) {
            DerivedIdentity after = IdentityDiff.ownedOf(keys, PodObjects.labels(pod), PodObjects.annotations(pod));
            if (after.labels().isEmpty() && after.annotations().isEmpty()) {
                // An ordinary update of a pod created before idgate: it must keep working.
                return CompletableFuture.completedFuture(AdmissionResponses.allowed());
            }
            return againstDerivation(pod, request.namespace()); // a backfill: exactly the derived keys
        }
        return CompletableFuture.completedFuture(verdict(IdentityDiff.changes(keys, PodObjects.labels(pod), PodObjects.annotations(pod), before), List.of()));
    }

    private CompletionStage<AdmissionResponse> againstDerivation(ObjectNode pod, String namespace) {
        IdentityKeys keys = identities.deriver().keys();
        var labels = PodObjects.labels(pod);
        var annotations = PodObjects.annotations(pod);
        return identities.resolve(namespace, PodObjects.serviceAccountName(pod)).thenApply(outcome -> {
            if (outcome instanceof PodIdentities.Refused refused) {
                return AdmissionResponses.denied(List.of(refused.message()), List.of());
            }
            var derived = (PodIdentities.Derived) outcome;
            return verdict(IdentityDiff.changes(keys, labels, annotations, derived.identity()),
                    derived.warning() == null ? List.of() : List.of(derived.warning()));
        });
    }

    private static AdmissionResponse verdict(List<KeyChange> changes, List<String> warnings) {
        if (changes.isEmpty()) {
            return AdmissionResponses.allowed(warnings);
        }
        return AdmissionResponses.denied(changes.stream().map(KeyChange::denial).toList(), warnings);
    }
}
