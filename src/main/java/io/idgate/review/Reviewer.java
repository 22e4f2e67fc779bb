package io.idgate.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.admission.NetworkPolicyHandler;
import io.idgate.admission.PodIdentities;
import io.idgate.admission.PodMutationHandler;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.Verdict;
import io.idgate.guardrails.Violation;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.NetworkPolicySource;
import io.idgate.k8s.ServiceAccountLookup;
import io.idgate.oidc.IdentityTokenVerifier;
import io.idgate.oidc.KeySets;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Judges single objects with the webhook's own handlers ({@link NetworkPolicyHandler},
 * {@link PodMutationHandler}), built over whatever world the caller has: manifest files for
 * {@code idgate check}, listed cluster objects for {@code idgate audit}.
 */
public final class Reviewer {

    private final NetworkPolicyHandler policies;
    private final PodMutationHandler pods;
    private final IdentityDeriver deriver;

    public Reviewer(Supplier<GuardrailSnapshot> guardrails, ServiceAccountLookup serviceAccounts, NetworkPolicySource networkPolicies,
            IdentityDeriver deriver, OnMissing onMissing) {
        this.deriver = deriver;
        this.policies = new NetworkPolicyHandler(guardrails, networkPolicies, deriver.config(), v -> {});
        // identity tokens verified as the webhook does; fetched key sets are awaited once, since a
        // check runs only once
        KeySets keySets = new KeySets(HttpClient.newHttpClient(), Clock.systemUTC());
        keySets.prefetch(guardrails.get().issuers().values(), Duration.ofSeconds(5));
        var tokens = new IdentityTokenVerifier(guardrails, keySets, Clock.systemUTC(), deriver.keys().identityToken(),
                deriver.config().trustDomain());
        this.pods = new PodMutationHandler(new PodIdentities(serviceAccounts, deriver, onMissing, guardrails::get, source -> {},
                tokens, result -> {}));
    }

    public IdentityDeriver deriver() {
        return deriver;
    }

    /** What the NetworkPolicy webhook answers for this admission, as a finding. */
    public Finding networkPolicy(Operation operation, NetworkPolicy newPolicy, NetworkPolicy oldPolicy, String namespace,
            String source, int document) {
        List<Violation> violations = policies.violations(operation, newPolicy, oldPolicy, namespace);
        NetworkPolicy shown = newPolicy != null ? newPolicy : oldPolicy;
        return new Finding("NetworkPolicy", namespace, shown.getMetadata().getName(), source, document,
                !Verdict.of(violations).denied(), violations.stream().map(Message::of).toList(), null);
    }

    /**
     * What creating {@code pod} gives: its identity keys, the webhook's warnings (requester-set keys it
     * replaces), or, when its ServiceAccount is not known, the webhook's refusal as a warning: the
     * ServiceAccount may well exist in the cluster the manifests go to.
     *
     * @throws io.idgate.admission.BadAdmissionReview when its labels or annotations are not maps of strings
     */
    public Finding pod(String kind, String namespace, String name, ObjectNode pod, String source, int document) {
        PodMutationHandler.Mutation m = mutation(namespace, pod);
        List<Message> messages = new ArrayList<>();
        if (m.refusal() != null) {
            messages.add(new Message(Severity.WARN, m.refusal(), null));
        }
        m.warnings().forEach(w -> messages.add(new Message(Severity.WARN, w, null)));
        return new Finding(kind, namespace, name, source, document, m.refusal() == null, messages, m.identity());
    }

    /** The mutating webhook's view of creating {@code pod} in {@code namespace}. */
    public PodMutationHandler.Mutation mutation(String namespace, ObjectNode pod) {
        // the lookups of manifest and listed worlds answer from memory: the stage is already complete
        return pods.mutation(namespace, pod).toCompletableFuture().join();
    }
}
