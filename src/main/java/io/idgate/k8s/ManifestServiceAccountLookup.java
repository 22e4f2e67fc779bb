package io.idgate.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.idgate.identity.ServiceAccountInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** ServiceAccounts from manifest files (standalone mode): always synced, never asks a cluster. */
public final class ManifestServiceAccountLookup implements ServiceAccountLookup {

    private final Map<String, ServiceAccountInfo> byKey;
    private final String missingReason;

    public ManifestServiceAccountLookup(List<Manifest> manifests) {
        this(manifests, "it is not in the manifests directory");
    }

    /** @param missingReason how a miss is explained to the user (the CLI reads files, not a directory) */
    public ManifestServiceAccountLookup(List<Manifest> manifests, String missingReason) {
        this.missingReason = missingReason;
        Map<String, ServiceAccountInfo> map = new HashMap<>();
        for (Manifest m : manifests) {
            if (!"ServiceAccount".equals(m.kind())) {
                continue;
            }
            if (m.name().isEmpty()) {
                throw new ManifestException(m.location() + ": ServiceAccount has no metadata.name");
            }
            String namespace = m.namespace().isEmpty() ? "default" : m.namespace();
            map.put(namespace + "/" + m.name(), new ServiceAccountInfo(
                    namespace, m.name(), stringMap(m, m.object().path("metadata").path("annotations")),
                    m.object().path("metadata").path("resourceVersion").asText(null)));
        }
        this.byKey = Map.copyOf(map);
    }

    public int size() {
        return byKey.size();
    }

    @Override
    public CompletionStage<Resolution> resolve(String namespace, String name) {
        ServiceAccountInfo sa = byKey.get(namespace + "/" + name);
        return CompletableFuture.completedFuture(sa == null
                ? new Missing(missingReason)
                : new Found(sa, Source.CACHE));
    }

    @Override
    public boolean synced() {
        return true;
    }

    private static Map<String, String> stringMap(Manifest m, JsonNode node) {
        Map<String, String> out = new HashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new ManifestException(m.location() + ": metadata.annotations must be a map of strings");
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                throw new ManifestException(m.location() + ": metadata.annotations[" + e.getKey() + "] must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }
}
