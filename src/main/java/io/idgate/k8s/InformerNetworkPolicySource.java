package io.idgate.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/** NetworkPolicies of all namespaces from an informer, indexed by namespace. */
public final class InformerNetworkPolicySource implements NetworkPolicySource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InformerNetworkPolicySource.class);

    private final SharedIndexInformer<NetworkPolicy> informer;
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

    public InformerNetworkPolicySource(KubernetesClient client) {
        this.informer = client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0);
        this.informer.exceptionHandler((started, t) -> {
            LOG.warnf("NetworkPolicy watch failed (%s); retrying", t.getMessage());
            return true;
        });
        // any event may change reachability: the live world rebuilds on its next preview
        this.informer.addEventHandler(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
            @Override
            public void onAdd(NetworkPolicy obj) {
                version.incrementAndGet();
            }

            @Override
            public void onUpdate(NetworkPolicy oldObj, NetworkPolicy newObj) {
                version.incrementAndGet();
            }

            @Override
            public void onDelete(NetworkPolicy obj, boolean deletedFinalStateUnknown) {
                version.incrementAndGet();
            }
        });
    }

    /** Counts policy events (the live reachability world's staleness). */
    public long version() {
        return version.get();
    }

    @Override
    public List<NetworkPolicy> all() {
        return informer.getIndexer().list();
    }

    public CompletionStage<Void> start() {
        return informer.start();
    }

    @Override
    public List<NetworkPolicy> inNamespace(String namespace) {
        return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    @Override
    public boolean synced() {
        return informer.hasSynced();
    }

    @Override
    public void close() {
        informer.close();
    }
}
