package io.idgate.soak;

import io.idgate.engine.PodMutationPreview;
import io.idgate.engine.NetworkPolicyJudge;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.zjsonpatch.JsonPatch;
import io.idgate.admission.AdmissionHandler;
import io.idgate.admission.AdmissionMetrics;
import io.idgate.admission.AdmissionServer;
import io.idgate.admission.GuardrailConfigMapHandler;
import io.idgate.admission.JsonPatches;
import io.idgate.admission.NetworkPolicyHandler;
import io.idgate.engine.PodIdentityResolver;
import io.idgate.admission.PodMutationHandler;
import io.idgate.admission.PodValidationHandler;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.GuardrailConfigMaps.ConfigMapData;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.k8s.NetworkPolicySource;
import io.idgate.k8s.ServiceAccountLookup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What idgate should answer, computed in-process by idgate's own engine (the handlers behind
 * {@link AdmissionServer#serve}, the same code as the server's) over the world the soak wrote to the
 * API server: the guardrail ConfigMaps fed event by event into a {@link GuardrailConfigMaps}, as the
 * watcher feeds them, the ServiceAccounts as stored, and the stored NetworkPolicies. The server must
 * agree with it under load and churn; what it tests is the server's plumbing (watch, snapshot swap,
 * caches, HTTP), not the engine's rules, which the fixture suites test.
 *
 * <p>Settings are idgate's defaults, as the e2e harness runs it. Not thread-safe: the churn thread owns it.
 */
final class Oracle {

    static final String GUARDRAILS_NAMESPACE = "idgate-system";
    /**
     * The oracle's own decision log (AdmissionServer logs every answer at INFO) would print every
     * expectation it computes; held here so the level set on it is not lost with a collected logger.
     */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.idgate.decision");

    static {
        QUIET.setLevel(java.util.logging.Level.WARNING);
    }

    static final String GUARDRAIL_LABEL = "idgate.io/guardrails";

    private final GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
    private final Map<String, ServiceAccountInfo> serviceAccounts = new HashMap<>();
    private final AdmissionServer server = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()));
    private final PodMutationPreview preview;
    private final Map<String, AdmissionHandler> handlers;
    /** Equal expectations share one string: hundreds of versions times the templates stay small. */
    private final Map<String, String> interned = new HashMap<>();
    private final String missingReason;
    private final String timeoutReason;
    private boolean slowApiServer;

    /**
     * @param missingReason what idgate's lookup says when its GET finds no ServiceAccount
     * @param timeoutReason what it says when the GET is cut off at its timeout
     */
    Oracle(List<NetworkPolicy> storedPolicies, String missingReason, String timeoutReason) {
        this.missingReason = missingReason;
        this.timeoutReason = timeoutReason;
        IdentityDeriver deriver = new IdentityDeriver(IdentityConfig.DEFAULTS);
        // no identity tokens on the soak's ServiceAccounts, so no token verifier (its 5-argument constructor)
        PodIdentityResolver identities = new PodIdentityResolver(new Lookup(), deriver, OnMissing.DENY, guardrails::snapshot, source -> {});
        this.preview = new PodMutationPreview(identities);
        this.handlers = Map.of(
                "/mutate/pods", new PodMutationHandler(preview),
                "/validate/pods", new PodValidationHandler(identities),
                "/validate/networkpolicies", new NetworkPolicyHandler(new NetworkPolicyJudge(guardrails::snapshot, new Policies(storedPolicies), deriver.config()), v -> {}),
                "/validate/guardrails", new GuardrailConfigMapHandler(guardrails, GUARDRAILS_NAMESPACE, GUARDRAIL_LABEL));
    }

    /** A guardrail ConfigMap created or updated (as the watch delivers it); a broken one leaves the last valid version in force. */
    boolean apply(ConfigMap cm) {
        return guardrails.apply(new ConfigMapData(cm.getMetadata().getNamespace(), cm.getMetadata().getName(),
                cm.getMetadata().getResourceVersion(), cm.getData() == null ? Map.of() : cm.getData())).valid();
    }

    void removeConfigMap(String namespace, String name) {
        guardrails.remove(namespace, name);
    }

    void putServiceAccount(ServiceAccountInfo sa) {
        serviceAccounts.put(sa.namespace() + "/" + sa.name(), sa);
    }

    void removeServiceAccount(String namespace, String name) {
        serviceAccounts.remove(namespace + "/" + name);
    }

    /** The decision idgate must give {@code template} in the current world, as {@link Answers} reads it. */
    String expect(Scenario.Template template) {
        AdmissionHandler handler = handlers.get(template.path());
        var answer = server.serve(template.path(), handler, "application/json", template.body(Scenario.PLACEHOLDER_UID))
                .toCompletableFuture().join();
        String decision = Answers.read(answer.status(), answer.body()).decision();
        return interned.computeIfAbsent(decision, d -> d);
    }

    /**
     * Per template, the normal answer, then the degraded one when it differs: the answer idgate gives
     * when the GET that settles a cache miss is cut off at its timeout (a ServiceAccount that does not
     * exist is then refused with "did not answer" instead of "does not exist": the same decision, for
     * another reason). A ServiceAccount that exists has no degraded answer: refusing its pod is wrong.
     */
    String[][] expectAll(List<Scenario.Template> templates) {
        String[][] out = new String[templates.size()][];
        for (int i = 0; i < out.length; i++) {
            String normal = expect(templates.get(i));
            slowApiServer = true;
            String degraded = expect(templates.get(i));
            slowApiServer = false;
            out[i] = normal.equals(degraded) ? new String[] {normal} : new String[] {normal, degraded};
        }
        return out;
    }

    /** {@code pod} as stored after idgate's mutating webhook patched it in the current world. */
    ObjectNode mutated(String namespace, ObjectNode pod) {
        var m = preview.mutation(namespace, pod).toCompletableFuture().join();
        if (m.refusal() != null) {
            throw new IllegalStateException("scenario error: the oracle refuses " + namespace + " pod: " + m.refusal());
        }
        byte[] patch = JsonPatches.forKeyChanges(pod, m.changes());
        try {
            return patch == null ? pod : (ObjectNode) JsonPatch.apply(new com.fasterxml.jackson.databind.ObjectMapper().readTree(patch), pod);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The ServiceAccounts as stored; a miss is what idgate's lookup says after its GET found nothing, or timed out. */
    private final class Lookup implements ServiceAccountLookup {
        @Override
        public CompletionStage<Resolution> resolve(String namespace, String name) {
            ServiceAccountInfo sa = serviceAccounts.get(namespace + "/" + name);
            return CompletableFuture.completedFuture(sa == null ? new Missing(slowApiServer ? timeoutReason : missingReason) : new Found(sa, Source.CACHE));
        }

        @Override
        public boolean synced() {
            return true;
        }
    }

    /** The NetworkPolicies stored before the run (the soak sends its policy reviews straight to idgate, so none are added). */
    private record Policies(List<NetworkPolicy> stored) implements NetworkPolicySource {
        @Override
        public List<NetworkPolicy> inNamespace(String namespace) {
            return stored.stream().filter(p -> namespace.equals(p.getMetadata().getNamespace())).toList();
        }

        @Override
        public List<NetworkPolicy> all() {
            return stored;
        }

        @Override
        public boolean synced() {
            return true;
        }
    }
}
