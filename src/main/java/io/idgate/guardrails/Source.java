package io.idgate.guardrails;

/**
 * Where a guardrail definition came from: one data key of one ConfigMap.
 *
 * @param namespace namespace of the ConfigMap
 * @param name      name of the ConfigMap
 * @param key       data key (e.g. {@code pci.yaml})
 */
public record Source(String namespace, String name, String key) {

    /** {@code <namespace>/<name>}, how messages name the ConfigMap. */
    public String configMap() {
        return namespace + "/" + name;
    }

    /** {@code configmap <namespace>/<name> key <key>}, for errors that must point at the data key. */
    public String describe() {
        return "configmap " + configMap() + " key " + key;
    }

    @Override
    public String toString() {
        return describe();
    }
}
