package io.idgate.k8s;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.stream.Collectors;

/** Says which field of a document failed to bind, in Kubernetes field-path terms, without Java text. */
public final class JsonProblems {

    private JsonProblems() {}

    /** {@code spec.ingress[0].ports[1].port: wrong type} style description of a binding failure. */
    public static String describe(Exception e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining());
            return (path.startsWith(".") ? path.substring(1) : path) + ": value has the wrong type or format";
        }
        return "the document does not have the shape of this kind";
    }
}
