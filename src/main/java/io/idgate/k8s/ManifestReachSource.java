package io.idgate.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The reachability world of a manifests directory (standalone mode, fixtures): fixed, version 0. */
public final class ManifestReachSource implements ReachSource {

    private static final Set<String> PEERS = Set.of("Namespace", "Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
            "CronJob", "ReplicationController");

    private final List<ObjectNode> objects;
    private final List<NetworkPolicy> policies;

    public ManifestReachSource(List<Manifest> manifests) {
        List<ObjectNode> o = new ArrayList<>();
        List<NetworkPolicy> p = new ArrayList<>();
        for (Manifest m : manifests) {
            if (PEERS.contains(m.kind()) && m.object() instanceof ObjectNode node) {
                o.add(node);
            } else if ("NetworkPolicy".equals(m.kind())) {
                try {
                    p.add(ManifestNetworkPolicySource.toNetworkPolicy(ClusterObjects.withNamespace(m, ManifestNetworkPolicySource.DEFAULT_NAMESPACE)));
                } catch (InvalidObject e) {
                    // refused by the API server too: it never takes part in the world (idgate check names it)
                }
            }
        }
        this.objects = List.copyOf(o);
        this.policies = List.copyOf(p);
    }

    @Override
    public long version() {
        return 0;
    }

    @Override
    public List<ObjectNode> podsAndNamespaces() {
        return objects;
    }

    @Override
    public List<NetworkPolicy> networkPolicies() {
        return policies;
    }

    @Override
    public boolean synced() {
        return true;
    }
}
