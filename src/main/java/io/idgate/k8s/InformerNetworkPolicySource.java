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

    public InformerNetworkPolicySource(KubernetesClient client) {
        this.informer = client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0);
        this.informer.exceptionHandler((started, t) -> {
            LOG.warnf("NetworkPolicy watch failed (%s); retrying", t.getMessage());
            return true;
        });
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
