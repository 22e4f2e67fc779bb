package io.idgate.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** NetworkPolicies from manifest files (standalone mode and the CLI); a policy without namespace is in {@code default}. */
public final class ManifestNetworkPolicySource implements NetworkPolicySource {

    /** Where a manifest without a namespace goes: kubectl's default. */
    public static final String DEFAULT_NAMESPACE = "default";

    private final Map<String, List<NetworkPolicy>> byNamespace;

    public ManifestNetworkPolicySource(List<Manifest> manifests) {
        Map<String, List<NetworkPolicy>> map = new HashMap<>();
        for (Manifest m : manifests) {
            if (!"NetworkPolicy".equals(m.kind())) {
                continue;
            }
            NetworkPolicy policy = toNetworkPolicy(ClusterObjects.withNamespace(m, DEFAULT_NAMESPACE));
            String namespace = policy.getMetadata().getNamespace();
            map.computeIfAbsent(namespace, k -> new ArrayList<>()).add(policy);
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        this.byNamespace = Map.copyOf(map);
    }

    /** {@code m} as a fabric8 NetworkPolicy ({@link NetworkPolicyBinder}), or an {@link InvalidObject} naming the file and field. */
    public static NetworkPolicy toNetworkPolicy(Manifest m) {
        NetworkPolicy policy = NetworkPolicyBinder.bind(m.object(), m.where());
        if (policy.getMetadata() == null || policy.getMetadata().getName() == null) {
            throw new InvalidObject(m.location() + ": NetworkPolicy has no metadata.name");
        }
        return policy;
    }

    @Override
    public List<NetworkPolicy> inNamespace(String namespace) {
        return byNamespace.getOrDefault(namespace, List.of());
    }

    @Override
    public List<NetworkPolicy> all() {
        return byNamespace.values().stream().flatMap(List::stream).toList();
    }

    @Override
    public boolean synced() {
        return true;
    }
}
