package io.idgate.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.k8s.InvalidObject;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.IdentityDiff;
import io.idgate.identity.KeyChange;
import io.idgate.guardrails.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What CREATE of a pod gets: the derived identity, the key changes (the patch) and the warnings, or the
 * refusal when its ServiceAccount cannot be read. The mutating webhook answers from it; {@code idgate
 * check}, the audit and the query API preview pods and pod templates with it, so they cannot disagree.
 */
public final class PodMutationPreview {

    private final PodIdentityResolver identities;

    public PodMutationPreview(PodIdentityResolver identities) {
        this.identities = identities;
    }

    public PodIdentityResolver identities() {
        return identities;
    }

    /**
     * @param pod a raw pod tree; throws {@link InvalidObject} when its labels or annotations are not string maps
     */
    public CompletionStage<PodMutation> mutation(String namespace, ObjectNode pod) {
        var labels = PodFields.labels(pod);
        var annotations = PodFields.annotations(pod);
        String serviceAccount = PodFields.serviceAccountName(pod);
        return identities.resolve(namespace, serviceAccount).thenApply(resolution -> {
            if (resolution instanceof PodIdentityResolver.Refused refused) {
                return new PodMutation(pod, serviceAccount, DerivedIdentity.NONE, List.of(), List.of(), refused.message());
            }
            var derived = (PodIdentityResolver.Derived) resolution;
            List<KeyChange> changes = IdentityDiff.changes(identities.deriver().keys(), labels, annotations, derived.identity());
            List<Message> warnings = new ArrayList<>();
            if (derived.warning() != null) {
                warnings.add(Message.identity(Action.WARN, Message.SERVICE_ACCOUNT, derived.warning()));
            }
            derived.tokenWarnings().forEach(w -> warnings.add(Message.identity(Action.WARN, Message.IDENTITY_TOKEN, w)));
            for (KeyChange change : changes) {
                if (!change.isAdd()) {
                    warnings.add(Message.identity(Action.WARN, Message.IDENTITY_OVERRIDE, change.overrideWarning()));
                }
            }
            return new PodMutation(pod, serviceAccount, derived.identity(), changes, warnings, null);
        });
    }

    /**
     * The outcome of {@link #mutation}.
     *
     * @param identity the keys the pod ends up with ({@link DerivedIdentity#NONE} when refused or on-missing=allow)
     * @param refusal  the refusal line, or null when the pod is admitted
     */
    public record PodMutation(ObjectNode pod, String serviceAccount, DerivedIdentity identity, List<KeyChange> changes,
            List<Message> warningLines, String refusal) {
        public PodMutation {
            changes = List.copyOf(changes);
            warningLines = List.copyOf(warningLines);
        }

        /** The webhook's warnings, as it answers them. */
        public List<String> warnings() {
            return warningLines.stream().map(Message::text).toList();
        }
    }
}
