package io.idgate.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.Action;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.Verdict;
import io.idgate.guardrails.Violation;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.IdentityTokens;
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
 * Judges single objects as the webhooks would ({@link NetworkPolicyJudge}, {@link PodMutationPreview}),
 * as {@link Finding}s, over whatever world the caller has: manifest files for {@code idgate check},
 * listed cluster objects for {@code idgate audit}, the caches in force for the query API.
 */
public final class ObjectReviewer {

    private final NetworkPolicyJudge policies;
    private final PodMutationPreview pods;

    public ObjectReviewer(NetworkPolicyJudge policies, PodMutationPreview pods) {
        this.policies = policies;
        this.pods = pods;
    }

    /**
     * A reviewer over a world of its own (the CLI's files, a listed cluster), verifying identity tokens
     * with {@code tokens}: the server passes its own verifier, so there is one key-set cache per process.
     */
    public static ObjectReviewer over(Supplier<GuardrailSnapshot> guardrails, ServiceAccountLookup serviceAccounts,
            NetworkPolicySource networkPolicies, IdentityDeriver deriver, OnMissing onMissing, IdentityTokens tokens) {
        var resolver = new PodIdentityResolver(serviceAccounts, deriver, onMissing, guardrails::get, source -> {}, tokens, result -> {});
        return new ObjectReviewer(new NetworkPolicyJudge(guardrails, networkPolicies, deriver.config()), new PodMutationPreview(resolver));
    }

    /**
     * The token verifier of a command-line run: the key sets of the guardrails' issuers are fetched
     * once up front (a check runs once, so it waits for them rather than judging without keys).
     */
    public static IdentityTokens commandLineTokens(Supplier<GuardrailSnapshot> guardrails, IdentityDeriver deriver) {
        KeySets keySets = new KeySets(HttpClient.newHttpClient(), Clock.systemUTC());
        keySets.prefetch(guardrails.get().issuers().values(), Duration.ofSeconds(5));
        return new IdentityTokenVerifier(guardrails, keySets, Clock.systemUTC(), deriver.keys().identityToken(),
                deriver.config().trustDomain());
    }

    public IdentityDeriver deriver() {
        return pods.identities().deriver();
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
     * @throws io.idgate.k8s.InvalidObject when its labels or annotations are not maps of strings
     */
    public Finding pod(String kind, String namespace, String name, ObjectNode pod, String source, int document) {
        PodMutationPreview.PodMutation m = mutation(namespace, pod);
        List<Message> messages = new ArrayList<>();
        if (m.refusal() != null) {
            messages.add(Message.identity(Action.WARN, Message.SERVICE_ACCOUNT, m.refusal()));
        }
        messages.addAll(m.warningLines());
        return new Finding(kind, namespace, name, source, document, m.refusal() == null, messages, m.identity());
    }

    /** The mutating webhook's view of creating {@code pod} in {@code namespace}. */
    public PodMutationPreview.PodMutation mutation(String namespace, ObjectNode pod) {
        // the lookups of manifest and listed worlds answer from memory: the stage is already complete
        return pods.mutation(namespace, pod).toCompletableFuture().join();
    }
}
