package io.idgate.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.PodFields;
import io.idgate.engine.PodIdentityResolver;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.IdentityDiff;
import io.idgate.identity.IdentityKeys;
import io.idgate.identity.KeyChange;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import io.idgate.engine.ReachAdmission;
import io.idgate.guardrails.Verdict;
import io.idgate.guardrails.Violation;

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
 * With {@link ReachAdmission}, a pod that passes is also judged against the invariants in force: on
 * CREATE, and on an UPDATE that changes its labels (its new labels may let it into a forbidden path).
 */
public final class PodValidationHandler implements AdmissionHandler {

    private static final Function<KeyChange, String> CREATE = c -> c.denial("identity keys are set by idgate only",
            c.isAdd() ? "idgate's mutating webhook sets it; check that no later mutating webhook removes it"
                    : c.isRemove() ? "remove the key from the manifest; idgate does not derive it for this pod"
                    : "remove the key from the manifest, and check that no later mutating webhook rewrites it");
    private static final Function<KeyChange, String> BACKFILL = c -> c.denial(
            "a backfill must set exactly the derived identity keys", "set the values idgate derives (idgate labels prints them)");

    private final PodIdentityResolver identities;
    private final ReachAdmission reach;
    private final Consumer<Violation> violationCounter;

    /** Without invariants. */
    public PodValidationHandler(PodIdentityResolver identities) {
        this(identities, null, v -> {});
    }

    /** @param reach null: no invariants ({@code idgate.reach.invariants=false}) */
    public PodValidationHandler(PodIdentityResolver identities, ReachAdmission reach, Consumer<Violation> violationCounter) {
        this.identities = identities;
        this.reach = reach;
        this.violationCounter = violationCounter;
    }

    @Override
    public CompletionStage<AdmissionResponse> handle(AdmissionRequest request) {
        PodObjects.requirePod(request);
        return switch (request.operation()) {
            case CREATE -> againstDerivation(PodObjects.requireObject(request), request.namespace(), CREATE)
                    .thenCompose(answer -> invariants(answer, request.object(), null, request.namespace()));
            case UPDATE -> update(request).thenCompose(answer -> java.util.Objects.equals(PodFields.labels(request.object()), PodFields.labels(request.oldObject()))
                    ? CompletableFuture.completedFuture(answer) : invariants(answer, request.object(), request.oldObject(), request.namespace()));
            case DELETE, CONNECT -> CompletableFuture.completedFuture(AdmissionResponses.allowed());
        };
    }

    private CompletionStage<AdmissionResponse> update(AdmissionRequest request) {
        ObjectNode pod = PodObjects.requireObject(request);
        if (request.oldObject() == null) {
            throw new BadAdmissionReview("request.oldObject is missing: an UPDATE review must carry the old pod");
        }
        IdentityKeys keys = identities.deriver().keys();
        DerivedIdentity before = IdentityDiff.ownedOf(keys, PodFields.labels(request.oldObject()), PodFields.annotations(request.oldObject()));
        if (before.labels().isEmpty() && before.annotations().isEmpty()) {
            DerivedIdentity after = IdentityDiff.ownedOf(keys, PodFields.labels(pod), PodFields.annotations(pod));
            if (after.labels().isEmpty() && after.annotations().isEmpty()) {
                // An ordinary update of a pod created before idgate: it must keep working.
                return CompletableFuture.completedFuture(AdmissionResponses.allowed());
            }
            return againstDerivation(pod, request.namespace(), BACKFILL); // a backfill: exactly the derived keys
        }
        List<KeyChange> changes = IdentityDiff.changes(keys, PodFields.labels(pod), PodFields.annotations(pod), before);
        return CompletableFuture.completedFuture(verdict(changes, List.of(),
                c -> c.denial("identity keys cannot be changed once set", "keep the value the pod was created with")));
    }

    private CompletionStage<AdmissionResponse> againstDerivation(ObjectNode pod, String namespace, Function<KeyChange, String> denial) {
        IdentityKeys keys = identities.deriver().keys();
        var labels = PodFields.labels(pod);
        var annotations = PodFields.annotations(pod);
        return identities.resolve(namespace, PodFields.serviceAccountName(pod)).thenApply(resolution -> {
            if (resolution instanceof PodIdentityResolver.Refused refused) {
                return AdmissionResponses.denied(List.of(refused.message()), List.of());
            }
            var derived = (PodIdentityResolver.Derived) resolution;
            List<String> warnings = derived.warning() == null ? List.of() : List.of(derived.warning());
            if (denial == CREATE && keys.owned(labels).isEmpty() && keys.owned(annotations).isEmpty()
                    && !derived.identity().labels().isEmpty()) {
                // One line instead of one per key: the cause is a mutating webhook that did not run.
                return AdmissionResponses.denied(List.of(io.idgate.identity.OneLine.of("metadata.labels: the pod carries none of the identity keys idgate derives for ServiceAccount \""
                        + namespace + "/" + PodFields.serviceAccountName(pod) + "\"; the idgate mutating webhook (/mutate/pods) did not run for it:"
                        + " check that the MutatingWebhookConfiguration covers this namespace")), warnings);
            }
            return verdict(IdentityDiff.changes(keys, labels, annotations, derived.identity()), warnings, denial);
        });
    }

    /** {@code answer}, or (when it allows) the invariants' judgement of the pod's labels added to it. */
    private CompletionStage<AdmissionResponse> invariants(AdmissionResponse answer, ObjectNode pod, ObjectNode oldPod, String namespace) {
        if (reach == null || !answer.allowed()) {
            return CompletableFuture.completedFuture(answer);
        }
        return reach.pod(pod, oldPod, namespace).thenApply(violations -> {
            if (violations.isEmpty()) {
                return answer;
            }
            violations.forEach(violationCounter);
            return AdmissionResponses.judged(Verdict.of(violations), answer.warnings());
        });
    }

    private static AdmissionResponse verdict(List<KeyChange> changes, List<String> warnings, Function<KeyChange, String> denial) {
        if (changes.isEmpty()) {
            return AdmissionResponses.allowed(warnings);
        }
        return AdmissionResponses.denied(changes.stream().map(denial).toList(), warnings);
    }
}
