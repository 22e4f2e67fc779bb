package io.idgate.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.engine.Finding;
import io.idgate.engine.Message;
import io.idgate.engine.ObjectReviewer;
import io.idgate.engine.PodMutationPreview;
import io.idgate.engine.ReachWorlds;
import io.idgate.guardrails.Action;
import io.idgate.guardrails.GuardrailEvaluator;
import io.idgate.identity.IdentityTokens;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.InvalidObject;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.Operation;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.KeyChange;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestServiceAccountLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code idgate audit}: what already runs in breach. Every NetworkPolicy judged as the webhook would
 * judge its CREATE now (against the other policies of its namespace); every running pod whose
 * identity keys are missing or differ from a fresh derivation (it predates idgate, or its
 * ServiceAccount's annotations or its guardrail groups changed since); every namespace a
 * {@code defaultDeny} rule guards that has no default-deny policy. And what reachability shows
 * ({@link ReachAudit}): open peers, policies and rules that select nothing or are shadowed, broken
 * invariants, spoofable edges into protected identities, namespaces without a default-deny.
 *
 * <p>The {@code P/derived-from} annotation is not compared: it records the ServiceAccount's
 * resourceVersion, which any edit of the ServiceAccount bumps, identity or not.
 */
public final class ClusterAudit {

    /** The namespaces the webhook configurations leave out (k8s/webhooks/webhooks.yaml). */
    public static final Set<String> DEFAULT_EXCLUDED = Set.of("kube-system", "kube-node-lease", "idgate-system");

    /**
     * @param stalePods pods whose identity keys are missing or differ from a fresh derivation
     * @param notes     analyses skipped or objects left out of the reachability findings, and why
     */
    public record Result(List<Finding> findings, int stalePods, List<String> notes) {}

    private ClusterAudit() {}

    /**
     * @param tokens the identity-token verifier: the server's own in the scheduled audit (one key-set
     *               cache per process), {@link ObjectReviewer#commandLineTokens} in {@code idgate audit}
     */
    public static Result audit(ClusterObjects objects, GuardrailSnapshot snapshot, IdentityDeriver deriver, Set<String> excluded,
            IdentityTokens tokens) {
        var policies = new ManifestNetworkPolicySource(objects.networkPolicies());
        var reviewer = ObjectReviewer.over(() -> snapshot,
                new ManifestServiceAccountLookup(objects.serviceAccounts(), "it does not exist in the cluster (deleted after the pod was created?)"),
                policies, deriver, OnMissing.DENY, tokens);
        List<Finding> findings = new ArrayList<>();
        ReachWorlds.Loaded world = ReachWorlds.of(objects, deriver, snapshot);
        ReachAudit.Result reach = ReachAudit.of(world.world(), snapshot, deriver, excluded, ClusterObjects.CLUSTER);
        List<String> notes = new ArrayList<>(reach.notes());
        world.problems().forEach(p -> notes.add("left out of the reachability findings: " + p));
        for (String namespace : objects.namespaceNames()) {
            if (!excluded.contains(namespace)) {
                var violations = GuardrailEvaluator.missingDefaultDeny(namespace, policies.inNamespace(namespace), snapshot);
                List<Message> messages = new ArrayList<>(violations.stream().map(Message::of).toList());
                if (violations.isEmpty()) { // a defaultDeny rule already says it, in its own words
                    messages.addAll(reach.namespaces().getOrDefault(namespace, List.of()));
                }
                findings.add(new Finding("Namespace", "", namespace, ClusterObjects.CLUSTER, 0, violations.isEmpty(), messages, null));
            }
        }
        for (Manifest m : objects.networkPolicies()) {
            if (!excluded.contains(m.namespace())) {
                NetworkPolicy policy = ManifestNetworkPolicySource.toNetworkPolicy(m);
                Finding judged = reviewer.networkPolicy(Operation.CREATE, policy, null, m.namespace(), ClusterObjects.CLUSTER, 0);
                List<Message> messages = new ArrayList<>(judged.messages());
                messages.addAll(reach.policies().getOrDefault(m.namespace() + "/" + m.name(), List.of()));
                findings.add(new Finding(judged.kind(), judged.namespace(), judged.name(), judged.source(), judged.document(),
                        judged.webhookAllows(), messages, judged.identity(), judged.line()));
            }
        }
        int stale = 0;
        for (Manifest m : objects.podBearing()) {
            String phase = m.object().path("status").path("phase").asText("");
            if (excluded.contains(m.namespace()) || phase.equals("Succeeded") || phase.equals("Failed")) {
                continue; // finished pods take no traffic
            }
            Finding f = pod(reviewer, m);
            if (f.has(Action.DENY)) {
                stale++;
            }
            findings.add(f);
        }
        findings.addAll(reach.findings()); // after the objects' own, so merged lines follow theirs
        return new Result(merged(findings), stale, notes);
    }

    /** One finding per object: a pod's reachability lines join its identity finding, in the order first seen. */
    private static List<Finding> merged(List<Finding> findings) {
        java.util.Map<String, Finding> byObject = new java.util.LinkedHashMap<>();
        for (Finding f : findings) {
            byObject.merge(f.title(), f, (a, b) -> {
                List<Message> messages = new ArrayList<>(b.messages()); // identity lines first, as for any pod
                messages.addAll(a.messages());
                Finding first = a.identity() != null ? a : b;
                return new Finding(first.kind(), first.namespace(), first.name(), first.source(), first.document(),
                        a.webhookAllows() && b.webhookAllows(), a.identity() != null ? concat(a.messages(), b.messages()) : messages,
                        first.identity(), first.line());
            });
        }
        return new ArrayList<>(byObject.values());
    }

    private static List<Message> concat(List<Message> a, List<Message> b) {
        List<Message> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Finding pod(ObjectReviewer reviewer, Manifest m) {
        PodMutationPreview.PodMutation mutation;
        try {
            mutation = reviewer.mutation(m.namespace(), (ObjectNode) m.object());
        } catch (InvalidObject e) {
            return new Finding("Pod", m.namespace(), m.name(), ClusterObjects.CLUSTER, 0, false, List.of(Message.identity(Action.WARN, Message.POD_INVALID, e.getMessage())), null);
        }
        List<Message> messages = new ArrayList<>();
        if (mutation.refusal() != null) {
            messages.add(Message.identity(Action.WARN, Message.SERVICE_ACCOUNT, mutation.refusal()));
            return new Finding("Pod", m.namespace(), m.name(), ClusterObjects.CLUSTER, 0, false, messages, null);
        }
        var keys = reviewer.deriver().keys();
        List<KeyChange> changes = mutation.changes().stream().filter(c -> !c.key().equals(keys.derivedFrom())).toList();
        var identity = mutation.identity();
        boolean noKeys = mutation.changes().stream().allMatch(KeyChange::isAdd)
                && mutation.changes().size() == identity.labels().size() + identity.annotations().size();
        if (!changes.isEmpty() && noKeys) {
            // One line instead of one per key: the pod was never admitted through idgate.
            messages.add(Message.identity(Action.DENY, Message.IDENTITY_MISSING, "metadata.labels: the pod carries no identity keys (created before idgate"
                    + " was installed, or in a namespace the webhook skips); recreate it, or backfill exactly the keys"
                    + " `idgate labels --namespace " + m.namespace() + " --service-account " + mutation.serviceAccount() + "` prints"));
        } else {
            changes.forEach(c -> messages.add(Message.identity(Action.DENY, Message.IDENTITY_KEY, c.denial("identity key differs from a fresh derivation",
                    "recreate the pod: its ServiceAccount's annotations or its guardrail groups changed since it was created"))));
        }
        return new Finding("Pod", m.namespace(), m.name(), ClusterObjects.CLUSTER, 0, true, messages, mutation.identity());
    }
}
