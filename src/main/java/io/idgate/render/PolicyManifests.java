package io.idgate.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Kubernetes objects as files a GitOps repository can hold and {@code kubectl apply -f} reads: YAML
 * documents each opened by {@code ---}, or one JSON {@code v1 List}. No comments, no timestamps, field
 * order as built: the same objects always give the same bytes.
 */
public final class PolicyManifests {

    private static final ObjectMapper YAML = YAMLMapper.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES).enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR).build();
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private PolicyManifests() {}

    public static String yaml(List<ObjectNode> objects) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode o : objects) {
            out.append(write(YAML, o));
        }
        return out.toString();
    }

    public static String json(List<ObjectNode> objects) {
        ObjectNode list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "List");
        list.putArray("items").addAll(objects);
        return write(JSON, list) + "\n";
    }

    private static String write(ObjectMapper mapper, ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
