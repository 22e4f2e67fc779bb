package io.idgate.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.k8s.InvalidObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the few fields of a raw pod JSON tree that identity depends on, strictly: a field of the wrong
 * type is an {@link InvalidObject}, never read as "absent" (that would give the pod another identity).
 */
public final class PodFields {

    public static final String DEFAULT_SERVICE_ACCOUNT = "default";

    private PodFields() {}

    /** Refuses a pod tree ({@code field} names it in messages) whose kind, metadata or ServiceAccount has the wrong type. */
    public static void validate(ObjectNode object, String field) {
        if (object == null) {
            return;
        }
        JsonNode kind = object.get("kind");
        if (kind != null && !kind.isNull() && !"Pod".equals(kind.asText())) {
            throw new InvalidObject(field + ".kind is \"" + kind.asText() + "\", expected Pod");
        }
        JsonNode metadata = object.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new InvalidObject(field + ".metadata must be an object");
        }
        stringMap(object, "labels", field);
        stringMap(object, "annotations", field);
        serviceAccountName(object, field);
    }

    /**
     * The ServiceAccount the pod runs as: {@code spec.serviceAccountName}, else the deprecated
     * {@code spec.serviceAccount} (the API server honours it too), else {@code default}.
     */
    public static String serviceAccountName(ObjectNode pod) {
        return serviceAccountName(pod, "object");
    }

    /** {@link #serviceAccountName(ObjectNode)} of a pod (or pod template) found at {@code where} of the review's object. */
    public static String serviceAccountName(ObjectNode pod, String where) {
        JsonNode spec = pod.path("spec");
        if (!spec.isMissingNode() && !spec.isNull() && !spec.isObject()) {
            throw new InvalidObject(where + ".spec must be an object (the pod spec), got " + type(spec));
        }
        String name = string(spec, "serviceAccountName", where);
        if (name.isEmpty()) {
            name = string(spec, "serviceAccount", where);
        }
        return name.isEmpty() ? DEFAULT_SERVICE_ACCOUNT : name;
    }

    /**
     * {@code spec.<field>} as text, "" when absent or null. Anything else is refused rather than read
     * as text: a number would name another ServiceAccount, and an object would fall back to
     * {@code default}, so the pod would get an identity it did not ask for.
     */
    private static String string(JsonNode spec, String field, String where) {
        JsonNode value = spec.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new InvalidObject(where + ".spec." + field + " must be a string (the name of a ServiceAccount in the pod's namespace), got "
                    + type(value));
        }
        return value.textValue();
    }

    private static String type(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Map<String, String> labels(ObjectNode pod) {
        return stringMap(pod, "labels", "object");
    }

    public static Map<String, String> annotations(ObjectNode pod) {
        return stringMap(pod, "annotations", "object");
    }

    /** {@code metadata.<field>} as a map; null when absent. Values must be strings, as the API requires. */
    private static Map<String, String> stringMap(ObjectNode object, String field, String where) {
        JsonNode metadata = object.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
            throw new InvalidObject(where + ".metadata must be an object"); // not read as "no labels"
        }
        JsonNode map = metadata.path(field);
        if (map.isMissingNode() || map.isNull()) {
            return null;
        }
        if (!map.isObject()) {
            throw new InvalidObject(where + ".metadata." + field + " must be a map of strings");
        }
        Map<String, String> out = new HashMap<>();
        var fields = map.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            JsonNode v = e.getValue();
            if (!v.isTextual() && !v.isNull()) {
                throw new InvalidObject(where + ".metadata." + field + "[" + e.getKey() + "] must be a string");
            }
            out.put(e.getKey(), v.isNull() ? "" : v.textValue());
        }
        return out;
    }
}
