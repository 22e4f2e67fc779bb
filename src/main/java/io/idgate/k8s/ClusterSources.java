package io.idgate.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.idgate.config.IdgateConfig;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Chooses where objects come from ({@code idgate.cluster}) and starts the informers at boot, so the
 * first review does not wait for a list and readiness reflects the caches. In standalone mode the
 * Kubernetes client is never created, so nothing contacts a cluster.
 */
@ApplicationScoped
public class ClusterSources {

    private static final Logger LOG = Logger.getLogger(ClusterSources.class);

    /** Cache-miss GETs in flight at once; beyond that a lookup fails fast instead of queueing behind a slow API server. */
    private static final int FALLBACK_THREADS = 4;
    private static final int FALLBACK_QUEUE = 64;

    @Produces
    @Singleton
    Manifests manifests(IdgateConfig config) {
        if (config.cluster() != IdgateConfig.Cluster.NONE) {
            return new Manifests(List.of());
        }
        String dir = config.manifests().orElseThrow(() -> new IllegalStateException(
                "idgate.cluster=none needs idgate.manifests: a directory of Kubernetes YAML (ServiceAccounts, guardrail ConfigMaps, NetworkPolicies)"));
        List<Manifest> all = ManifestReader.read(Path.of(dir));
        LOG.infof("standalone mode: read %d objects from %s", all.size(), dir);
        return new Manifests(all);
    }

    @Produces
    @Singleton
    ServiceAccountLookup serviceAccountLookup(IdgateConfig config, Manifests manifests, Instance<KubernetesClient> client) {
        if (config.cluster() == IdgateConfig.Cluster.NONE) {
            var lookup = new ManifestServiceAccountLookup(manifests.all());
            LOG.infof("standalone mode: %d ServiceAccounts", lookup.size());
            return lookup;
        }
        var lookup = new InformerServiceAccountLookup(client.get(), config.serviceAccount().lookupTimeout(), fallbackExecutor());
        lookup.start().whenComplete((ok, err) -> logStart("ServiceAccount", err));
        return lookup;
    }

    /**
     * Runs the cache-miss GETs: up to {@link #FALLBACK_THREADS} at once, then up to {@link #FALLBACK_QUEUE}
     * waiting, then refused. Core size = max size: a ThreadPoolExecutor adds threads beyond its core
     * only once the queue is full, so a core of 1 ran the GETs one by one and queued ones timed out
     * (found by the soak: a burst of misses after start-up answered "did not answer within 500ms").
     */
    static ThreadPoolExecutor fallbackExecutor() {
        return apiExecutor("idgate-sa-lookup");
    }

    /** A bounded pool for blocking API calls of the admission path, as {@link #fallbackExecutor()} explains. */
    private static ThreadPoolExecutor apiExecutor(String name) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(FALLBACK_THREADS, FALLBACK_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(FALLBACK_QUEUE), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true); // idle threads go after 30 s, as before
        return executor;
    }

    /**
     * Asks the API server whether a requester may use a ServiceAccount (guardrail serviceAccountUse).
     * Standalone mode has no API server: every such question goes unanswered, so the check refuses.
     */
    @Produces
    @Singleton
    ServiceAccountAuthorizer serviceAccountAuthorizer(IdgateConfig config, Instance<KubernetesClient> client) {
        if (config.cluster() == IdgateConfig.Cluster.NONE) {
            return ServiceAccountAuthorizer.NONE;
        }
        return new SubjectAccessReviewAuthorizer(client.get(), apiExecutor("idgate-sa-use"));
    }

    @Produces
    @Singleton
    NetworkPolicySource networkPolicySource(IdgateConfig config, Manifests manifests, Instance<KubernetesClient> client) {
        if (config.cluster() == IdgateConfig.Cluster.NONE) {
            return new ManifestNetworkPolicySource(manifests.all());
        }
        var source = new InformerNetworkPolicySource(client.get());
        source.start().whenComplete((ok, err) -> logStart("NetworkPolicy", err));
        return source;
    }

    /**
     * The live reachability world of the preview and the invariants: the manifests in standalone mode; in
     * a cluster, informers on pods and namespaces next to the NetworkPolicy one. Both off: an empty world,
     * and no pod or namespace informer at all (nothing watched, nothing held).
     */
    @Produces
    @Singleton
    ReachSource reachSource(IdgateConfig config, Manifests manifests, NetworkPolicySource policies, Instance<KubernetesClient> client) {
        if (!config.reach().preview() && !config.reach().invariants()) {
            return new ManifestReachSource(List.of());
        }
        if (config.cluster() == IdgateConfig.Cluster.NONE) {
            return new ManifestReachSource(manifests.all());
        }
        var source = new InformerReachSource(client.get(), (InformerNetworkPolicySource) policies);
        source.start().whenComplete((ok, err) -> logStart("pod and namespace", err));
        return source;
    }

    @Produces
    @Singleton
    GuardrailConfigMaps guardrailConfigMaps() {
        return new GuardrailConfigMaps();
    }

    @Produces
    @Singleton
    GuardrailWatcher guardrailWatcher(IdgateConfig config, Manifests manifests, GuardrailConfigMaps configMaps, Instance<KubernetesClient> client) {
        String namespace = config.guardrails().namespace();
        String label = config.labelPrefix() + "/guardrails";
        if (config.cluster() == IdgateConfig.Cluster.NONE) {
            return new GuardrailWatcher(configMaps, manifests.all(), namespace, label);
        }
        var watcher = new GuardrailWatcher(configMaps, client.get(), namespace, label);
        watcher.start().whenComplete((ok, err) -> logStart("guardrail ConfigMap", err));
        return watcher;
    }

    void onStart(@Observes StartupEvent event, ServiceAccountLookup serviceAccounts, NetworkPolicySource networkPolicies,
            GuardrailWatcher guardrails, ReachSource reach) {
        // Injecting the sources here creates them at boot: the informers start listing at once.
        LOG.debugf("sources: %s, %s, guardrails synced=%s", serviceAccounts.getClass().getSimpleName(),
                networkPolicies.getClass().getSimpleName(), guardrails.synced());
    }

    void onStop(@Observes ShutdownEvent event, ServiceAccountLookup serviceAccounts, NetworkPolicySource networkPolicies,
            GuardrailWatcher guardrails, ReachSource reach) throws Exception {
        for (Object source : List.of(serviceAccounts, networkPolicies, guardrails, reach)) {
            if (source instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private static void logStart(String what, Throwable err) {
        if (err != null) {
            LOG.errorf("%s informer failed to start: %s", what, err.getMessage());
        } else {
            LOG.infof("%s cache synced", what);
        }
    }

    /** All objects of the manifests directory (empty unless {@code idgate.cluster=none}). */
    public record Manifests(List<Manifest> all) {}
}
