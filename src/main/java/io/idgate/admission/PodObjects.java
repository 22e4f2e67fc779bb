package io.idgate.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/** Reads the few fields of a raw pod JSON tree that identity depends on. */
final class PodObjects {

    static final String DEFAULT_SERVICE_ACCOUNT = "default";

    private PodObjects() {}

    /** Refuses a review whose request is not for a core v1 Pod. */
    static void requirePod(AdmissionRequest request) {
        var kind = request.kind();
        if (!kind.group().isEmpty() || !"Pod".equals(kind.kind())) {
            throw new BadAdmissionReview("request.kind is " + kind + "; this endpoint only takes Pods (check the webhook's rules)");
        }
        requirePodObject(request.object(), "request.object");
        requirePodObject(request.oldObject(), "request.oldObject");
    }

    private static void requirePodObject(ObjectNode object, String field) {
        if (object == null) {
            return;
        }
        JsonNode kind = object.get("kind");
        if (kind != null && !kind.isNull() && !"Pod".equals(kind.asText())) {
            throw new BadAdmissionReview(field + ".kind is \"" + kind.asText() + "\", expected Pod");
        }
        JsonNode metadata = object.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new BadAdmissionReview(field + ".metadata must be an object");
        }
        stringMap(object, "labels", field);
        stringMap(object, "annotations", field);
        serviceAccountName(object, field);
    }

    static ObjectNode requireObject(AdmissionRequest request) {
        if (request.object() == null) {
            throw new BadAdmissionReview("request.object is missing: a " + request.operation() + " review must carry the object");
        }
        return request.object();
    }

    /**
     * The ServiceAccount the pod runs as: {@code spec.serviceAccountName}, else the deprecated
     * {@code spec.serviceAccount} (the API server honours it too), else {@code default}.
     */
    static String serviceAccountName(ObjectNode pod) {
        return serviceAccountName(pod, "object");
    }

    private static String serviceAccountName(ObjectNode pod, String where) {
        JsonNode spec = pod.path("spec");
        if (!spec.isMissingNode() && !spec.isNull() && !spec.isObject()) {
            throw new BadAdmissionReview(where + ".spec must be an object (the pod spec), got " + type(spec));
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
            throw new BadAdmissionReview(where + ".spec." + field + " must be a string (the name of a ServiceAccount in the pod's namespace), got "
                    + type(value));
        }
        return value.textValue();
    }

    private static String type(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    static Map<String, String> labels(ObjectNode pod) {
        return stringMap(pod, "labels", "object");
    }

    static Map<String, String> annotations(ObjectNode pod) {
        return stringMap(pod, "annotations", "object");
    }

    /** {@code metadata.<field>} as a map; null when absent. Values must be strings, as the API requires. */
    private static Map<String, String> stringMap(ObjectNode object, String field, String where) {
        JsonNode metadata = object.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
            throw new BadAdmissionReview(where + ".metadata must be an object"); // not read as "no labels"
        }
        JsonNode map = metadata.path(field);
        if (map.isMissingNode() || map.isNull()) {
            return null;
        }
        if (!map.isObject()) {
            throw new BadAdmissionReview(where + ".metadata." + field + " must be a map of strings");
        }
        Map<String, String> out = new HashMap<>();
        var fields = map.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            JsonNode v = e.getValue();
            if (!v.isTextual() && !v.isNull()) {
                throw new BadAdmissionReview(where + ".metadata." + field + "[" + e.getKey() + "] must be a string");
            }
            out.put(e.getKey(), v.isNull() ? "" : v.textValue());
        }
        return out;
    }
}
