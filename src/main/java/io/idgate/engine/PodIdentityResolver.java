package io.idgate.engine;

import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.GroupMembership;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.IdentityTokens;
import io.idgate.identity.OneLine;
import io.idgate.identity.WorkloadIdentity;
import java.util.List;
import io.idgate.k8s.ServiceAccountLookup;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The identity a pod must carry: looks its ServiceAccount up, derives the keys, and applies
 * {@code idgate.service-account.on-missing} when the ServiceAccount cannot be read. One per process:
 * the mutating and validating pod webhooks, the query API and the audit share it, so they agree, and
 * they share its token verifier (one key-set cache, so none of them sees keys the others do not).
 */
public final class PodIdentityResolver {

    /** What the pod must carry, or why it cannot be decided. */
    public sealed interface Resolution {}

    /**
     * The keys the pod must carry (no keys at all when {@code warning} is set: on-missing=allow), and
     * what the requester should know about the ServiceAccount's identity token.
     */
    public record Derived(DerivedIdentity identity, String warning, List<String> tokenWarnings) implements Resolution {
        public Derived {
            tokenWarnings = List.copyOf(tokenWarnings);
        }
    }

    /** The pod must be refused: its ServiceAccount cannot be read and on-missing=deny. */
    public record Refused(String message) implements Resolution {}

    private final ServiceAccountLookup lookup;
    private final IdentityDeriver deriver;
    private final OnMissing onMissing;
    private final Supplier<? extends GroupMembership> groups;
    private final Consumer<ServiceAccountLookup.Source> lookupCounter;
    private final IdentityTokens tokens;
    private final Consumer<String> tokenCounter;

    public PodIdentityResolver(
            ServiceAccountLookup lookup,
            IdentityDeriver deriver,
            OnMissing onMissing,
            Supplier<? extends GroupMembership> groups,
            Consumer<ServiceAccountLookup.Source> lookupCounter) {
        this(lookup, deriver, onMissing, groups, lookupCounter, IdentityTokens.NONE, result -> {});
    }

    /**
     * @param tokens       checks the identity token a ServiceAccount carries
     * @param tokenCounter receives the result of every token check (the metric's {@code result} tag)
     */
    public PodIdentityResolver(
            ServiceAccountLookup lookup,
            IdentityDeriver deriver,
            OnMissing onMissing,
            Supplier<? extends GroupMembership> groups,
            Consumer<ServiceAccountLookup.Source> lookupCounter,
            IdentityTokens tokens,
            Consumer<String> tokenCounter) {
        this.lookup = lookup;
        this.deriver = deriver;
        this.onMissing = onMissing;
        this.groups = groups;
        this.lookupCounter = lookupCounter;
        this.tokens = tokens;
        this.tokenCounter = tokenCounter;
    }

    public IdentityDeriver deriver() {
        return deriver;
    }

    public CompletionStage<Resolution> resolve(String namespace, String serviceAccount) {
        return lookup.resolve(namespace, serviceAccount).thenApply(resolution -> {
            lookupCounter.accept(resolution.source());
            if (resolution instanceof ServiceAccountLookup.Found found) {
                var sa = found.serviceAccount();
                WorkloadIdentity identity = deriver.identityOf(sa);
                IdentityTokens.TokenCheck token = tokens.check(sa, identity);
                if (token.result() != null) {
                    tokenCounter.accept(token.result());
                }
                if (token.claims() != null) {
                    identity = identity.withVerified(token.claims());
                }
                DerivedIdentity derived = deriver.derive(identity, groups.get().groupsOf(identity), IdentityDeriver.derivedFrom(sa));
                return new Derived(derived, null, token.warnings());
            }
            String reason = ((ServiceAccountLookup.Missing) resolution).reason();
            String problem = OneLine.of("spec.serviceAccountName: ServiceAccount \"" + namespace + "/" + serviceAccount
                    + "\" cannot be read (" + reason + ")");
            if (onMissing == OnMissing.ALLOW) {
                return new Derived(DerivedIdentity.NONE, problem + "; the pod is admitted without identity labels", List.of());
            }
            return new Refused(problem + OneLine.of("; idgate derives the pod's identity from it. Create it first (kubectl -n "
                    + namespace + " create serviceaccount " + serviceAccount + ") or set spec.serviceAccountName to an existing one"));
        });
    }
}
