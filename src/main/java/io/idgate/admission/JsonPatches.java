package io.idgate.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.identity.KeyChange;
import java.util.List;

/**
 * Minimal RFC 6902 patches for metadata maps: one operation per key, against the object exactly as
 * the API server sent it. A map that does not exist yet is added whole (an {@code add} below a
 * missing parent would fail), and nothing else of the object is touched.
 */
public final class JsonPatches {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonPatches() {}

    /** The operations that apply {@code changes} to {@code object}'s metadata; empty when there are none. */
    public static ArrayNode forKeyChanges(ObjectNode object, List<KeyChange> changes) {
        ArrayNode ops = NODES.arrayNode();
        JsonNode metadata = object.get("metadata");
        if (metadata == null || !metadata.isObject()) {
            ObjectNode whole = NODES.objectNode();
            for (KeyChange change : changes) {
                if (!change.isRemove()) {
                    whole.with(change.section().field()).put(change.key(), change.want());
                }
            }
            if (!whole.isEmpty()) {
                ops.add(op("add", "/metadata", whole));
            }
            return ops;
        }
        for (KeyChange.Section section : KeyChange.Section.values()) {
            List<KeyChange> inSection = changes.stream().filter(c -> c.section() == section).toList();
            JsonNode map = metadata.get(section.field());
            String mapPath = "/metadata/" + section.field();
            if (map == null || !map.isObject()) {
                ObjectNode whole = NODES.objectNode();
                inSection.stream().filter(c -> !c.isRemove()).forEach(c -> whole.put(c.key(), c.want()));
                if (!whole.isEmpty()) {
                    ops.add(op("add", mapPath, whole));
                }
                continue;
            }
            for (KeyChange change : inSection) {
                String path = mapPath + "/" + escape(change.key());
                if (change.isRemove()) {
                    ops.add(op("remove", path, null));
                } else {
                    ops.add(op(change.isAdd() ? "add" : "replace", path, NODES.textNode(change.want())));
                }
            }
        }
        return ops;
    }

    /** RFC 6901 escaping of one reference token: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static ObjectNode op(String op, String path, JsonNode value) {
        ObjectNode node = NODES.objectNode();
        node.put("op", op);
        node.put("path", path);
        if (value != null) {
            node.set("value", value);
        }
        return node;
    }
}
