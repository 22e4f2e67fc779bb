package io.idgate.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.idgate.guardrails.GuardrailConfigMaps.ConfigMapData;
import java.util.HashMap;
import java.util.Map;

/**
 * The one reader of guardrail ConfigMaps as JSON trees (a review's object, a manifest, a listed cluster
 * object), so the webhook, {@code idgate check}, the audit and standalone mode refuse the same bad
 * ConfigMap with the same words. (The informer hands typed ConfigMaps, whose data the API server has
 * already checked to be strings.)
 */
public final class GuardrailConfigMapReader {

    private GuardrailConfigMapReader() {}

    /**
     * @param where how messages name the object ({@code request.object}, {@code <file> (document N): object})
     * @throws InvalidObject when {@code data} is not a map of strings
     */
    public static ConfigMapData read(JsonNode object, String namespace, String name, String where) {
        JsonNode dataNode = object.path("data");
        if (!dataNode.isMissingNode() && !dataNode.isNull() && !dataNode.isObject()) {
            throw new InvalidObject(where + ".data must be a map of strings");
        }
        Map<String, String> data = new HashMap<>();
        var fields = dataNode.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            // asText() would read a number as its digits and a mapping as "": a misleading parse error
            if (!e.getValue().isTextual() && !e.getValue().isNull()) {
                throw new InvalidObject(where + ".data[" + e.getKey()
                        + "] must be a string (the guardrail YAML as text; use a | block in the manifest)");
            }
            data.put(e.getKey(), e.getValue().asText(""));
        }
        return new ConfigMapData(namespace, name, object.path("metadata").path("resourceVersion").asText(""), data);
    }

    /** A manifest's ConfigMap (its namespace already defaulted by {@link ClusterObjects}). */
    public static ConfigMapData read(Manifest m) {
        return read(m.object(), m.namespace(), m.name(), m.where());
    }
}
