package io.idgate.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.identity.KeyChange;
import io.idgate.identity.RecentMemo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal RFC 6902 patches for metadata maps: one operation per key, against the object exactly as
 * the API server sent it. A map that does not exist yet is added whole (an {@code add} below a
 * missing parent would fail), and nothing else of the object is touched.
 *
 * <p>Written straight to JSON bytes, and remembered: the patch depends only on the changes and on
 * which of the maps exist, so the pods of one ServiceAccount share it (building and writing it was a
 * tenth of a pod review's CPU; docs/benchmarks.md, "Where a review's CPU goes").
 */
public final class JsonPatches {

    private static final JsonFactory JSON = AdmissionReviewDecoder.mapper().getFactory();
    private static final RecentMemo<Shape, byte[]> PATCHES = new RecentMemo<>(256); // 512 patches at most, about 1 KB each

    /** What a patch is made of: the changes, and which of metadata, its labels and its annotations are objects. */
    private record Shape(List<KeyChange> changes, boolean metadata, boolean labels, boolean annotations) {}

    private JsonPatches() {}

    /**
     * The JSON of the operations that apply {@code changes} to {@code object}'s metadata; null when there
     * are none. The array may be shared: never write into it.
     */
    public static byte[] forKeyChanges(ObjectNode object, List<KeyChange> changes) {
        if (changes.isEmpty()) {
            return null;
        }
        JsonNode metadata = object.get("metadata");
        boolean hasMetadata = metadata != null && metadata.isObject();
        // The patch never holds a value the pod had (only whether it had one), so the shape keeps none.
        // Remembered only when no change removes a key: every key and value is then the derived
        // identity's. A pod that set owned keys of its own names (maybe many, maybe long) is patched
        // without being remembered, so no requester decides what the memory holds.
        List<KeyChange> normalized = changes.stream().map(c -> c.isAdd() ? c : new KeyChange(c.section(), c.key(), "", c.want())).toList();
        Shape shape = new Shape(normalized, hasMetadata, hasMetadata && isObject(metadata.get("labels")),
                hasMetadata && isObject(metadata.get("annotations")));
        boolean derivedOnly = changes.stream().noneMatch(KeyChange::isRemove);
        byte[] patch = derivedOnly ? PATCHES.get(shape, JsonPatches::write) : write(shape);
        return patch.length == 2 ? null : patch; // "[]": nothing to do
    }

    private static boolean isObject(JsonNode node) {
        return node != null && node.isObject();
    }

    private static byte[] write(Shape shape) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartArray();
            if (!shape.metadata()) {
                Map<String, Map<String, String>> whole = new LinkedHashMap<>();
                for (KeyChange change : shape.changes()) {
                    if (!change.isRemove()) {
                        whole.computeIfAbsent(change.section().field(), s -> new LinkedHashMap<>()).put(change.key(), change.want());
                    }
                }
                if (!whole.isEmpty()) {
                    op(out, "add", "/metadata");
                    out.writeFieldName("value");
                    out.writeStartObject();
                    for (var section : whole.entrySet()) {
                        out.writeFieldName(section.getKey());
                        writeMap(out, section.getValue());
                    }
                    out.writeEndObject();
                    out.writeEndObject();
                }
            } else {
                for (KeyChange.Section section : KeyChange.Section.values()) {
                    String mapPath = "/metadata/" + section.field();
                    boolean exists = section == KeyChange.Section.LABELS ? shape.labels() : shape.annotations();
                    if (!exists) {
                        Map<String, String> whole = new LinkedHashMap<>();
                        for (KeyChange c : shape.changes()) {
                            if (c.section() == section && !c.isRemove()) {
                                whole.put(c.key(), c.want());
                            }
                        }
                        if (!whole.isEmpty()) {
                            op(out, "add", mapPath);
                            out.writeFieldName("value");
                            writeMap(out, whole);
                            out.writeEndObject();
                        }
                        continue;
                    }
                    for (KeyChange change : shape.changes()) {
                        if (change.section() != section) {
                            continue;
                        }
                        String path = mapPath + "/" + escape(change.key());
                        if (change.isRemove()) {
                            op(out, "remove", path);
                        } else {
                            op(out, change.isAdd() ? "add" : "replace", path);
                            out.writeStringField("value", change.want());
                        }
                        out.writeEndObject();
                    }
                }
            }
            out.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory: not reached
        }
        return bytes.toByteArray();
    }

    /** Starts an operation object with its op and path; the caller adds a value if any and ends it. */
    private static void op(JsonGenerator out, String op, String path) throws IOException {
        out.writeStartObject();
        out.writeStringField("op", op);
        out.writeStringField("path", path);
    }

    private static void writeMap(JsonGenerator out, Map<String, String> map) throws IOException {
        out.writeStartObject();
        for (var e : map.entrySet()) {
            out.writeStringField(e.getKey(), e.getValue());
        }
        out.writeEndObject();
    }

    /** RFC 6901 escaping of one reference token: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
