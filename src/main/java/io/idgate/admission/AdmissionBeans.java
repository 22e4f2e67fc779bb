package io.idgate.admission;

import io.idgate.config.IdgateConfig;
import io.idgate.identity.GroupMembership;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ServiceAccountLookup;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the handlers in one place (the plain classes stay free of CDI, so tests and the CLI build them directly). */
@ApplicationScoped
public class AdmissionBeans {

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
    PodIdentities podIdentities(IdgateConfig config, ServiceAccountLookup lookup, IdentityDeriver deriver, AdmissionMetrics metrics) {
        return new PodIdentities(lookup, deriver, config.serviceAccount().onMissing(), () -> GroupMembership.NONE, metrics::serviceAccountLookup);
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
