package io.idgate.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** NetworkPolicies from manifest files (standalone mode and the CLI); a policy without namespace is in {@code default}. */
public final class ManifestNetworkPolicySource implements NetworkPolicySource {

    private static final ObjectMapper MAPPER = StrictScalars.apply(JsonMapper.builder().build());

    private final Map<String, List<NetworkPolicy>> byNamespace;

    public ManifestNetworkPolicySource(List<Manifest> manifests) {
        Map<String, List<NetworkPolicy>> map = new HashMap<>();
        for (Manifest m : manifests) {
            if (!"NetworkPolicy".equals(m.kind())) {
                continue;
            }
            NetworkPolicy policy = toNetworkPolicy(m);
            String namespace = m.namespace().isEmpty() ? "default" : m.namespace();
            policy.getMetadata().setNamespace(namespace);
            map.computeIfAbsent(namespace, k -> new ArrayList<>()).add(policy);
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        this.byNamespace = Map.copyOf(map);
    }

    /** {@code m} as a fabric8 NetworkPolicy, or a {@link ManifestException} naming the file and field. */
    public static NetworkPolicy toNetworkPolicy(Manifest m) {
        JsonProblems.nullListItem(m.object()).ifPresent(item -> {
            throw new ManifestException(m.location() + ": not a valid NetworkPolicy (" + item + " is null; " + JsonProblems.NULL_ITEM_FIX + ")");
        });
        try {
            NetworkPolicy policy = MAPPER.treeToValue(m.object(), NetworkPolicy.class);
            if (policy.getMetadata() == null || policy.getMetadata().getName() == null) {
                throw new ManifestException(m.location() + ": NetworkPolicy has no metadata.name");
            }
            return policy;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new ManifestException(m.location() + ": not a valid NetworkPolicy (" + JsonProblems.describe(e) + ")");
        }
    }

    @Override
    public List<NetworkPolicy> inNamespace(String namespace) {
        return byNamespace.getOrDefault(namespace, List.of());
    }

    @Override
    public boolean synced() {
        return true;
    }
}
