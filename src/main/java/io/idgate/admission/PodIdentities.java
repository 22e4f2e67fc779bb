package io.idgate.admission;

import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.GroupMembership;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ServiceAccountLookup;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The identity a pod must carry: looks its ServiceAccount up, derives the keys, and applies
 * {@code idgate.service-account.on-missing} when the ServiceAccount cannot be read. Shared by the
 * mutating and the validating pod webhooks so both always agree.
 */
public final class PodIdentities {

    /** What the pod must carry, or why it cannot be decided. */
    public sealed interface Outcome {}

    /** The keys the pod must carry (no keys at all when {@code warning} is set: on-missing=allow). */
    public record Derived(DerivedIdentity identity, String warning) implements Outcome {}

    /** The pod must be refused: its ServiceAccount cannot be read and on-missing=deny. */
    public record Refused(String message) implements Outcome {}

    private final ServiceAccountLookup lookup;
    private final IdentityDeriver deriver;
    private final OnMissing onMissing;
    private final Supplier<GroupMembership> groups;
    private final Consumer<ServiceAccountLookup.Source> lookupCounter;

    public PodIdentities(
            ServiceAccountLookup lookup,
            IdentityDeriver deriver,
            OnMissing onMissing,
            Supplier<GroupMembership> groups,
            Consumer<ServiceAccountLookup.Source> lookupCounter) {
        this.lookup = lookup;
        this.deriver = deriver;
        this.onMissing = onMissing;
        this.groups = groups;
        this.lookupCounter = lookupCounter;
    }

    public IdentityDeriver deriver() {
        return deriver;
    }

    public CompletionStage<Outcome> resolve(String namespace, String serviceAccount) {
        return lookup.resolve(namespace, serviceAccount).thenApply(resolution -> {
            lookupCounter.accept(resolution.source());
            if (resolution instanceof ServiceAccountLookup.Found found) {
                var sa = found.serviceAccount();
                return new Derived(deriver.derive(sa, groups.get().groupsOf(deriver.identityOf(sa))), null);
            }
            String reason = ((ServiceAccountLookup.Missing) resolution).reason();
            String problem = "spec.serviceAccountName: ServiceAccount \"" + namespace + "/" + serviceAccount
                    + "\" cannot be read (" + reason + ")";
            if (onMissing == OnMissing.ALLOW) {
                return new Derived(DerivedIdentity.NONE, problem + "; the pod is admitted without identity labels");
            }
            return new Refused(problem + "; idgate derives the pod's identity from it. Create it first (kubectl -n "
                    + namespace + " create serviceaccount " + serviceAccount + ") or set spec.serviceAccountName to an existing one");
        });
    }
}
