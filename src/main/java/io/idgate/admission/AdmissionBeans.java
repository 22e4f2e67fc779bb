package io.idgate.admission;

import io.idgate.config.IdgateConfig;
import io.idgate.engine.LiveReach;
import io.idgate.engine.NetworkPolicyJudge;
import io.idgate.engine.ReachAdmission;
import io.idgate.engine.ReachWorlds;
import io.idgate.k8s.ReachSource;
import io.idgate.engine.ObjectReviewer;
import io.idgate.engine.PodIdentityResolver;
import io.idgate.engine.PodMutationPreview;
import io.idgate.engine.ServiceAccountUseCheck;
import io.idgate.k8s.ServiceAccountAuthorizer;
import io.idgate.guardrails.Action;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.NetworkPolicySource;
import io.idgate.oidc.IdentityTokenVerifier;
import io.idgate.oidc.KeySets;
import java.net.http.HttpClient;
import java.time.Clock;
import io.idgate.k8s.ServiceAccountLookup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Wires the handlers in one place (the plain classes stay free of CDI, so tests and the CLI build them directly). */
@ApplicationScoped
public class AdmissionBeans {

    /** Audit-action violations: allowed, but logged here (and counted, and put in auditAnnotations). */
    private static final Logger AUDIT = Logger.getLogger("io.idgate.audit");

    private final List<Meter> gauges = new ArrayList<>();

    void registerGauges(@Observes StartupEvent event, GuardrailConfigMaps guardrails, ReviewMemoryBudget budget, MeterRegistry registry) {
        gauges.add(Gauge.builder("idgate.admission.memory.in.flight", budget, ReviewMemoryBudget::used)
                .description("Heap charged to admission reviews in flight, of idgate.admission.memory-budget")
                .baseUnit("bytes")
                .register(registry));
        for (boolean valid : new boolean[] {true, false}) {
            gauges.add(Gauge.builder("idgate.guardrails.configmaps", guardrails,
                            g -> g.states().values().stream().filter(state -> state.valid() == valid).count())
                    .description("Guardrail ConfigMaps by whether their latest version is in force (valid) or refused (invalid)")
                    .tag("state", valid ? "valid" : "invalid")
                    .register(registry));
        }
    }

    void removeGauges(@Observes ShutdownEvent event, MeterRegistry registry) {
        // a gauge reads the object it was registered with: a restarted application (tests restart it
        // in one JVM) must bind the gauge to its own GuardrailConfigMaps, not to the previous one
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    @Produces
    @Singleton
    IdentityDeriver identityDeriver(IdgateConfig config) {
        try {
            return new IdentityDeriver(new IdentityConfig(config.labelPrefix(), config.trustDomain(), config.oidcIssuer()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid idgate.label-prefix or idgate.trust-domain: " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    AdmissionMetrics admissionMetrics(MeterRegistry registry) {
        return new AdmissionMetrics(registry);
    }

    /** The heap reviews in flight may take (idgate.admission.memory-budget): by default half the maximum heap. */
    @Produces
    @Singleton
    ReviewMemoryBudget reviewMemoryBudget(IdgateConfig config) {
        return new ReviewMemoryBudget(config.admission().memoryBudget().map(size -> size.asLongValue())
                .orElse(Runtime.getRuntime().maxMemory() / 2));
    }

    @Produces
    @Singleton
    AdmissionServer admissionServer(AdmissionMetrics metrics, DecisionLog decisions) {
        return new AdmissionServer(metrics, decisions);
    }

    /** The decision log: batched on the console under the shipped logging settings, else through logging ({@link DecisionLog}). */
    @Produces
    @Singleton
    DecisionLog decisionLog(org.eclipse.microprofile.config.Config config) {
        return DecisionLog.consolePattern(key -> config.getOptionalValue(key, String.class))
                .<DecisionLog>map(pattern -> DecisionLog.console(new org.jboss.logmanager.formatters.PatternFormatter(pattern)))
                .orElse(DecisionLog.THROUGH_LOGGING);
    }

    /** Lines still queued are written before the process ends. */
    void closeDecisionLog(@jakarta.enterprise.inject.Disposes DecisionLog decisions) {
        if (decisions instanceof DecisionLog.Console console) {
            console.close();
        }
    }

    /** The one token verifier (and key-set cache) of the process: the webhooks, the query API and the audit share it. */
    @Produces
    @Singleton
    IdentityTokenVerifier identityTokenVerifier(IdgateConfig config, IdentityDeriver deriver, GuardrailConfigMaps guardrails) {
        return new IdentityTokenVerifier(guardrails::snapshot, new KeySets(HttpClient.newHttpClient(), Clock.systemUTC()),
                Clock.systemUTC(), deriver.keys().identityToken(), config.trustDomain());
    }

    @Produces
    @Singleton
    PodIdentityResolver podIdentityResolver(IdgateConfig config, ServiceAccountLookup lookup, IdentityDeriver deriver, AdmissionMetrics metrics,
            GuardrailConfigMaps guardrails, IdentityTokenVerifier tokens) {
        // groups come from the guardrails in force, so pods and NetworkPolicies always see the same groups
        return new PodIdentityResolver(lookup, deriver, config.serviceAccount().onMissing(), guardrails::snapshot, metrics::serviceAccountLookup,
                tokens, metrics::identityToken);
    }

    @Produces
    @Singleton
    NetworkPolicyJudge networkPolicyJudge(GuardrailConfigMaps guardrails, NetworkPolicySource policies, IdentityDeriver deriver) {
        return new NetworkPolicyJudge(guardrails::snapshot, policies, deriver.config());
    }

    @Produces
    @Singleton
    PodMutationPreview podMutationPreview(PodIdentityResolver identities) {
        return new PodMutationPreview(identities);
    }

    /**
     * Reachability at admission: the preview and the invariants over the live world. In standalone mode
     * the world is the manifests, labelled as the webhook would label their pods (nobody stamped them).
     */
    @Produces
    @Singleton
    LiveReach liveReach(IdgateConfig config, ReachSource reach, IdentityDeriver deriver, GuardrailConfigMaps guardrails,
            ServiceAccountLookup accounts) {
        return config.cluster() == IdgateConfig.Cluster.NONE
                ? new LiveReach(reach, deriver.keys(), world -> ReachWorlds.stamped(world, deriver, accounts, guardrails.snapshot()))
                : new LiveReach(reach, deriver.keys());
    }

    @Produces
    @Singleton
    ReachAdmission reachAdmission(IdgateConfig config, LiveReach live, IdentityDeriver deriver, GuardrailConfigMaps guardrails) {
        return new ReachAdmission(live, guardrails::snapshot, deriver.config(), config.reach().preview(), config.reach().previewBudget(),
                config.reach().invariantBudget(), previewExecutor());
    }

    @Produces
    @Singleton
    NetworkPolicyHandler networkPolicyHandler(NetworkPolicyJudge judge, AdmissionMetrics metrics, IdgateConfig config, ReachAdmission reach) {
        boolean on = config.reach().preview() || config.reach().invariants();
        return new NetworkPolicyHandler(judge, violationCounter(metrics), on ? reach : null);
    }

    /** Every violation counted; audit-action ones also logged. */
    private static java.util.function.Consumer<io.idgate.guardrails.Violation> violationCounter(AdmissionMetrics metrics) {
        return violation -> {
            metrics.violation(violation);
            if (violation.action() == Action.AUDIT) {
                AUDIT.info(violation.line());
            }
        };
    }

    /**
     * Reachability judgements run here, off the event loop, two at a time: they are CPU work (a world
     * rebuild after changes is the long part), and a few more may wait; beyond that a review is answered
     * at once as over budget rather than queueing past it.
     */
    private static java.util.concurrent.ExecutorService previewExecutor() {
        var executor = new java.util.concurrent.ThreadPoolExecutor(2, 2, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(16), r -> {
                    Thread t = new Thread(r, "idgate-reach");
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    @Produces
    @Singleton
    GuardrailConfigMapHandler guardrailConfigMapHandler(IdgateConfig config, GuardrailConfigMaps guardrails) {
        return new GuardrailConfigMapHandler(guardrails, config.guardrails().namespace(), config.labelPrefix() + "/guardrails");
    }

    /** The query API's reviewer: the webhooks' own judge and preview over the caches in force. */
    @Produces
    @Singleton
    ObjectReviewer objectReviewer(NetworkPolicyJudge judge, PodMutationPreview preview) {
        return new ObjectReviewer(judge, preview);
    }

    @Produces
    @Singleton
    PodMutationHandler podMutationHandler(PodMutationPreview preview) {
        return new PodMutationHandler(preview);
    }

    @Produces
    @Singleton
    PodValidationHandler podValidationHandler(PodIdentityResolver identities, IdgateConfig config, ReachAdmission reach, AdmissionMetrics metrics) {
        return new PodValidationHandler(identities, config.reach().invariants() ? reach : null, violationCounter(metrics));
    }

    /**
     * Who may run as a ServiceAccount, with idgate.service-account-use.*: a SubjectAccessReview waits at
     * most {@code timeout} (the webhook's own timeout is 5 s, and an unanswered question must come back as
     * idgate's refusal, not the API server's timeout); answers are kept {@code cache-ttl}, for up to
     * {@code cache-size} requester/ServiceAccount pairs. Bad values stop the start with the setting named.
     */
    @Produces
    @Singleton
    ServiceAccountUseCheck serviceAccountUseCheck(IdgateConfig config, GuardrailConfigMaps guardrails, ServiceAccountAuthorizer authorizer,
            AdmissionMetrics metrics) {
        var settings = config.serviceAccountUse();
        if (settings.timeout().isNegative() || settings.timeout().isZero()) {
            throw new IllegalStateException("idgate.service-account-use.timeout is " + settings.timeout().toMillis() + "ms; it must be positive"
                    + " and under the workloads webhook's timeoutSeconds (5s), e.g. 2s");
        }
        if (settings.cacheTtl().isNegative()) {
            throw new IllegalStateException("idgate.service-account-use.cache-ttl is negative; give 0s (no cache) or a duration such as 10s");
        }
        if (settings.cacheSize() < 0) {
            throw new IllegalStateException("idgate.service-account-use.cache-size is " + settings.cacheSize()
                    + "; give 0 (no cache) or a positive number of answers, such as 10000");
        }
        return new ServiceAccountUseCheck(guardrails::snapshot, authorizer, settings.timeout(), settings.cacheTtl(), settings.cacheSize(),
                System::nanoTime, metrics.serviceAccountUse());
    }

    @Produces
    @Singleton
    WorkloadHandler workloadHandler(ServiceAccountUseCheck check) {
        return new WorkloadHandler(check);
    }

    @Produces
    @Singleton
    NamespaceHandler namespaceHandler(IdgateConfig config, ReachAdmission reach, AdmissionMetrics metrics) {
        return new NamespaceHandler(config.reach().invariants() ? reach : null, violationCounter(metrics));
    }
}
