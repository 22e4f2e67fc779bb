package io.idgate.review;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.idgate.config.IdgateConfig;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ClusterObjects;
import io.idgate.oidc.IdentityTokenVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code idgate.audit.interval}: runs {@link ClusterAudit} in the server on a schedule, against the
 * guardrails in force (the watcher's, so a broken ConfigMap edit does not change the audit either),
 * and exports the result through {@link AuditGauges} and, with {@code idgate.audit.policy-reports},
 * as PolicyReports in the cluster ({@link PolicyReportWriter}). Off by default.
 */
@ApplicationScoped
public class ScheduledAudit {

    private static final Logger LOG = Logger.getLogger(ScheduledAudit.class);

    private ScheduledExecutorService executor;
    private AuditGauges gauges;

    void start(@Observes StartupEvent event, IdgateConfig config, Instance<KubernetesClient> client, GuardrailConfigMaps guardrails,
            IdentityDeriver deriver, IdentityTokenVerifier tokens, MeterRegistry registry) {
        long seconds = config.audit().interval().toSeconds();
        if (seconds <= 0) {
            return;
        }
        if (config.cluster() != IdgateConfig.Cluster.KUBERNETES) {
            LOG.warn("idgate.audit.interval is set but idgate.cluster is not kubernetes: there is no cluster to audit");
            return;
        }
        Set<String> excluded = new HashSet<>(ClusterAudit.DEFAULT_EXCLUDED);
        excluded.add(config.guardrails().namespace());
        gauges = new AuditGauges(registry);
        PolicyReportWriter reports = config.audit().policyReports() ? new PolicyReportWriter(client.get()) : null;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idgate-audit");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                var result = ClusterAudit.audit(ClusterObjects.fetch(client.get(), null, null), guardrails.snapshot(), deriver, excluded, tokens);
                gauges.record(result);
                LOG.infof("audit: %d objects, %d stale pods", result.findings().size(), result.stalePods());
                if (reports != null) {
                    writeReports(reports, result);
                }
            } catch (RuntimeException e) {
                // a failed run keeps the last figures; the next run tries again
                LOG.warnf("audit run failed (%s); the gauges keep the last run's figures", e.getMessage());
            }
        }, seconds, seconds, TimeUnit.SECONDS);
    }

    private static void writeReports(PolicyReportWriter reports, ClusterAudit.Result result) {
        try {
            LOG.debugf("audit: %d policy reports written", reports.write(result.findings(), Instant.now()));
        } catch (RuntimeException e) {
            // the gauges of this run stand; the reports are rewritten whole by the next run
            LOG.warnf("audit: policy reports not written (%s); are the wgpolicyk8s.io CRDs installed and"
                    + " k8s/components/policy-reports applied?", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
            gauges.close();
        }
    }
}
