package io.idgate.k8s;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Kubernetes object read from a file.
 *
 * @param source   the file it came from
 * @param document its 1-based position among the file's YAML documents
 * @param line     the 1-based line its document (for an item of a {@code kind: List}, the list's) starts
 *                 on, where reports point; 0 when not known (cluster objects)
 */
public record Manifest(String source, int document, JsonNode object, int line) {

    public Manifest(String source, int document, JsonNode object) {
        this(source, document, object, 0);
    }

    public String kind() {
        return object.path("kind").asText("");
    }

    public String apiVersion() {
        return object.path("apiVersion").asText("");
    }

    public String name() {
        return object.path("metadata").path("name").asText("");
    }

    public String namespace() {
        return object.path("metadata").path("namespace").asText("");
    }

    /** How messages name the object: {@code file (document N): object}, as a review's is {@code request.object}. */
    public String where() {
        return location() + ": object";
    }

    /** {@code file (document N)}, for messages. */
    public String location() {
        return source + " (document " + document + ")";
    }
}
