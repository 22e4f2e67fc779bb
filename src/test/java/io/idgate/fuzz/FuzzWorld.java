package io.idgate.fuzz;

import io.idgate.engine.PodMutationPreview;
import io.idgate.engine.NetworkPolicyJudge;
import io.idgate.admission.AdmissionHandler;
import io.idgate.admission.AdmissionMetrics;
import io.idgate.admission.AdmissionServer;
import io.idgate.admission.GuardrailConfigMapHandler;
import io.idgate.admission.NetworkPolicyHandler;
import io.idgate.engine.PodIdentityResolver;
import io.idgate.admission.PodMutationHandler;
import io.idgate.admission.PodValidationHandler;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.GuardrailWatcher;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The world the admission fuzz targets run in, built once per JVM without Quarkus, as
 * {@code AdmissionFixturesTest} builds it: the shared test ServiceAccounts, the guardrails of the
 * NetworkPolicy fixtures (groups, every requirement), on-missing=deny.
 */
public final class FuzzWorld {

    static final Path SERVICE_ACCOUNTS = Path.of("src/test/resources/manifests/serviceaccounts.yaml");
    static final Path GUARDRAILS = Path.of("src/test/resources/fixtures/validate-networkpolicies/guardrails.yaml");
    static final String GUARDRAILS_NAMESPACE = "idgate-system";
    static final String GUARDRAILS_LABEL = "idgate.io/guardrails";

    /** Held so the level sticks (JUL keeps loggers weakly): a decision line per execution would drown the fuzzer's output. */
    private static final Logger QUIET = Logger.getLogger("io.idgate");

    public final IdentityDeriver deriver = new IdentityDeriver(IdentityConfig.DEFAULTS);
    public final GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
    public final AdmissionServer server = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()));
    public final AdmissionHandler mutatePods;
    public final AdmissionHandler validatePods;
    public final AdmissionHandler validateNetworkPolicies;
    public final AdmissionHandler validateGuardrails;

    public FuzzWorld() {
        QUIET.setLevel(Level.OFF);
        new GuardrailWatcher(guardrails, ManifestReader.read(GUARDRAILS), GUARDRAILS_NAMESPACE, GUARDRAILS_LABEL);
        var identities = new PodIdentityResolver(new ManifestServiceAccountLookup(ManifestReader.read(SERVICE_ACCOUNTS)), deriver,
                OnMissing.DENY, guardrails::snapshot, source -> {});
        mutatePods = new PodMutationHandler(new PodMutationPreview(identities));
        validatePods = new PodValidationHandler(identities);
        validateNetworkPolicies = new NetworkPolicyHandler(new NetworkPolicyJudge(guardrails::snapshot, new ManifestNetworkPolicySource(List.of()),
                deriver.config()), v -> {});
        validateGuardrails = new GuardrailConfigMapHandler(guardrails, GUARDRAILS_NAMESPACE, GUARDRAILS_LABEL);
    }

    public AdmissionServer.Answer serve(String webhook, AdmissionHandler handler, byte[] body) {
        return server.serve(webhook, handler, "application/json", body).toCompletableFuture().join();
    }
}
