package io.idgate.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The pod a workload will create: a Pod itself, or the pod template of a Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job or CronJob (batch/v1 and v1beta1 share the shape).
 * Pods are created in the workload's namespace, so that is where their identity comes from.
 */
public final class PodTemplates {

    /** Where each workload kind keeps its pod template. */
    private static final Map<String, String[]> TEMPLATE_PATHS = Map.of(
            "Deployment", new String[] {"spec", "template"},
            "StatefulSet", new String[] {"spec", "template"},
            "DaemonSet", new String[] {"spec", "template"},
            "ReplicaSet", new String[] {"spec", "template"},
            "ReplicationController", new String[] {"spec", "template"},
            "Job", new String[] {"spec", "template"},
            "CronJob", new String[] {"spec", "jobTemplate", "spec", "template"});

    private PodTemplates() {}

    /** True for Pods and the workload kinds above. */
    public static boolean makesPods(Manifest m) {
        return "Pod".equals(m.kind()) && m.apiVersion().equals("v1") || TEMPLATE_PATHS.containsKey(m.kind());
    }

    /** The pod {@code m} stands for, as a raw tree; a {@link ManifestException} names a missing or malformed template. */
    public static ObjectNode pod(Manifest m) {
        if ("Pod".equals(m.kind())) {
            return requireObject(m, m.object(), "the Pod");
        }
        ObjectNode t = requireObject(m, template(m.kind(), m.object()), templatePath(m.kind()));
        ObjectNode pod = JsonNodeFactory.instance.objectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.set("metadata", t.path("metadata").isObject() ? t.get("metadata").deepCopy() : JsonNodeFactory.instance.objectNode());
        pod.set("spec", t.path("spec").deepCopy());
        return pod;
    }

    /**
     * Where a workload of {@code kind} keeps its pod template ({@code spec.template}, a CronJob's
     * {@code spec.jobTemplate.spec.template}); null for a Pod and for kinds that make no pods.
     */
    public static String templatePath(String kind) {
        String[] path = TEMPLATE_PATHS.get(kind);
        return path == null ? null : String.join(".", path);
    }

    /** The pod template of {@code workload}, a {@code kind} listed above; null when it has none (or not an object there). */
    public static ObjectNode template(String kind, JsonNode workload) {
        JsonNode template = workload;
        for (String step : TEMPLATE_PATHS.get(kind)) {
            template = template.path(step);
        }
        return template instanceof ObjectNode t ? t : null;
    }

    private static ObjectNode requireObject(Manifest m, JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new ManifestException(m.location() + ": " + m.kind() + " " + m.name() + ": " + field
                    + " is missing or not an object; a " + m.kind() + " needs a pod template there");
        }
        return (ObjectNode) node;
    }

    /**
     * A pod check's problem ({@code object.metadata...}, as a review names it) worded for the manifest
     * {@code m}: {@code <file> (document N): Kind name: pod template metadata...}. One wording for
     * {@code idgate check} and {@code idgate reach}.
     */
    public static String problem(Manifest m, InvalidObject e) {
        return m.location() + ": " + m.kind() + " " + m.name() + ": " + e.getMessage().replaceFirst("^object\\.", "pod template ");
    }
}
