package io.idgate.k8s;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * ServiceAccounts from an informer cache over all namespaces. On a miss (a ServiceAccount created a
 * moment before its pod, or a cache still syncing), one GET to the API server, bounded by
 * {@code idgate.service-account.lookup-timeout} and run off the event loop, settles it.
 */
public final class InformerServiceAccountLookup implements ServiceAccountLookup, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InformerServiceAccountLookup.class);

    private final KubernetesClient client;
    private final SharedIndexInformer<ServiceAccount> informer;
    private final Duration lookupTimeout;
    private final ExecutorService fallbackExecutor;

    public InformerServiceAccountLookup(KubernetesClient client, Duration lookupTimeout, ExecutorService fallbackExecutor) {
        this.client = client;
        this.lookupTimeout = lookupTimeout;
        this.fallbackExecutor = fallbackExecutor;
        this.informer = client.serviceAccounts().inAnyNamespace().runnableInformer(0);
        this.informer.exceptionHandler((started, t) -> {
            LOG.warnf("ServiceAccount watch failed (%s); retrying", t.getMessage());
            return true; // keep retrying: a cache that gave up would serve stale identities forever
        });
    }

    /** Starts the informer without waiting for its first list; {@link #synced()} says when it is done. */
    public CompletionStage<Void> start() {
        return informer.start();
    }

    @Override
    public boolean synced() {
        return informer.hasSynced();
    }

    @Override
    public CompletionStage<Resolution> resolve(String namespace, String name) {
        ServiceAccount cached = informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
        if (cached != null) {
            return CompletableFuture.completedFuture(new Found(ServiceAccounts.info(cached), Source.CACHE));
        }
        CompletableFuture<Resolution> fetched;
        try {
            fetched = CompletableFuture.supplyAsync(() -> fetch(namespace, name), fallbackExecutor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new Missing("too many ServiceAccount lookups waiting for the API server"));
        }
        return fetched
                .orTimeout(lookupTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(t -> {
                    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                    if (cause instanceof TimeoutException) {
                        LOG.warnf("GET serviceaccount %s/%s took longer than %s", namespace, name, lookupTimeout);
                        return new Missing("the API server did not answer within " + lookupTimeout.toMillis() + "ms");
                    }
                    LOG.warnf(cause, "GET serviceaccount %s/%s failed", namespace, name);
                    return new Missing("the API server could not be asked for it");
                });
    }

    private Resolution fetch(String namespace, String name) {
        try {
            ServiceAccount sa = client.serviceAccounts().inNamespace(namespace).withName(name).get();
            return sa == null
                    ? new Missing("it does not exist")
                    : new Found(ServiceAccounts.info(sa), Source.API);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return new Missing("idgate may not read it (RBAC: idgate needs get/list/watch on serviceaccounts)");
            }
            throw e;
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
