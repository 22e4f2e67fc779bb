package io.idgate.k8s;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.stream.Collectors;

/** Says which field of a document failed to bind, in Kubernetes field-path terms, without Java text. */
public final class JsonProblems {

    private JsonProblems() {}

    /** How to fix what {@link #nullListItem} finds. */
    public static final String NULL_ITEM_FIX = "a list item must be an object (a rule, a peer, a port); remove the null";

    /**
     * The path of the first null list item (a peer, a rule, a port), e.g. {@code spec.ingress[0].from[1]}.
     * Bound, it becomes a null that the guardrail checks skip, so a policy could pass with less than it
     * says; the API server never sends one (its lists hold objects).
     */
    public static java.util.Optional<String> nullListItem(JsonNode node) {
        return nullListItem(node, "");
    }

    private static java.util.Optional<String> nullListItem(JsonNode node, String path) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String item = path + "[" + i + "]";
                var found = node.get(i).isNull() ? java.util.Optional.of(item) : nullListItem(node.get(i), item);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                var found = nullListItem(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code spec.ingress[0].ports: expected a list} style description of a binding failure. */
    public static String describe(Exception e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining());
            String expected = e instanceof MismatchedInputException mismatch ? expected(mismatch.getTargetType()) : null;
            return (path.startsWith(".") ? path.substring(1) : path)
                    + (expected == null ? ": value has the wrong type or format" : ": expected " + expected) + "; fix the value's type";
        }
        return "the document does not have the shape of this kind";
    }

    /** What a field of this Java type holds, in manifest terms; null when unsure. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a number";
        }
        if (type.getSimpleName().equals("IntOrString")) {
            return "a port number or name";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.getName().startsWith("io.fabric8.")) {
            return "an object";
        }
        return null;
    }
}
