package io.idgate.guardrails;

/**
 * One problem in a guardrail ConfigMap, precise enough to fix without reading the code.
 *
 * @param configMap {@code <namespace>/<name>} of the ConfigMap
 * @param key       the data key holding the YAML document
 * @param line      1-based line in that document, 0 when no line applies
 * @param fieldPath where in the document, e.g. {@code rules[0].match.podSelector.matchExpressions[1].operator}
 *                  (empty for the document as a whole)
 * @param message   what is wrong and how to fix it
 */
public record ParseError(String configMap, String key, int line, String fieldPath, String message) {

    /**
     * {@code configmap <ns>/<name> key <key> line <n>: <fieldPath>: <message>}; the line part is left out
     * when unknown and the field part when empty.
     */
    public String text() {
        StringBuilder b = new StringBuilder("configmap ").append(configMap);
        if (!key.isEmpty()) {
            b.append(" key ").append(key); // empty when the ConfigMap itself could not be read
        }
        if (line > 0) {
            b.append(" line ").append(line);
        }
        b.append(": ");
        if (!fieldPath.isEmpty()) {
            b.append(fieldPath).append(": ");
        }
        return io.idgate.identity.OneLine.of(b.append(message).toString()); // quoted YAML values may hold line breaks
    }

    @Override
    public String toString() {
        return text();
    }
}
