package io.idgate.admission;

import io.idgate.config.IdgateConfig;
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

    void registerGauges(@Observes StartupEvent event, GuardrailConfigMaps guardrails, MeterRegistry registry) {
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

    @Produces
    @Singleton
    AdmissionServer admissionServer(AdmissionMetrics metrics) {
        return new AdmissionServer(metrics);
    }

    @Produces
    @Singleton
    PodIdentities podIdentities(IdgateConfig config, ServiceAccountLookup lookup, IdentityDeriver deriver, AdmissionMetrics metrics,
            GuardrailConfigMaps guardrails) {
        // groups come from the guardrails in force, so pods and NetworkPolicies always see the same groups
        var tokens = new IdentityTokenVerifier(guardrails::snapshot, new KeySets(HttpClient.newHttpClient(), Clock.systemUTC()),
                Clock.systemUTC(), deriver.keys().identityToken(), config.trustDomain());
        return new PodIdentities(lookup, deriver, config.serviceAccount().onMissing(), guardrails::snapshot, metrics::serviceAccountLookup,
                tokens, metrics::identityToken);
    }

    @Produces
    @Singleton
    NetworkPolicyHandler networkPolicyHandler(GuardrailConfigMaps guardrails, NetworkPolicySource policies, IdentityDeriver deriver,
            AdmissionMetrics metrics) {
        return new NetworkPolicyHandler(guardrails::snapshot, policies, deriver.config(), violation -> {
            metrics.violation(violation);
            if (violation.action() == Action.AUDIT) {
                AUDIT.info(violation.line());
            }
        });
    }

    @Produces
    @Singleton
    GuardrailConfigMapHandler guardrailConfigMapHandler(IdgateConfig config, GuardrailConfigMaps guardrails) {
        return new GuardrailConfigMapHandler(guardrails, config.guardrails().namespace(), config.labelPrefix() + "/guardrails");
    }

    /** The query API's reviewer: the guardrails, ServiceAccounts and NetworkPolicies in force. */
    @Produces
    @Singleton
    io.idgate.review.Reviewer reviewer(IdgateConfig config, ServiceAccountLookup lookup, NetworkPolicySource policies,
            IdentityDeriver deriver, GuardrailConfigMaps guardrails) {
        return new io.idgate.review.Reviewer(guardrails::snapshot, lookup, policies, deriver, config.serviceAccount().onMissing());
    }

    @Produces
    @Singleton
    PodMutationHandler podMutationHandler(PodIdentities identities) {
        return new PodMutationHandler(identities);
    }

    @Produces
    @Singleton
    PodValidationHandler podValidationHandler(PodIdentities identities) {
        return new PodValidationHandler(identities);
    }
}
