package io.idgate.admission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.idgate.identity.KeyChange;
import io.idgate.identity.KeyChange.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The metadata patches of the mutating webhook, applied by an RFC 6902 implementation (zjsonpatch). */
class JsonPatchesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KEYS = {"idgate.io/service-account", "idgate.io/spiffe-id", "groups.idgate.io/pci", "a~b/c"};

    /**
     * 2,000 random pods (metadata, labels and annotations each absent, not an object, or present with
     * some of the keys) and random changes: the patch applies, sets every wanted key, removes every
     * unwanted one, and touches nothing else; the same inputs give the same bytes.
     */
    @Test
    void aPatchAppliesTheChangesAndNothingElse() throws Exception {
        Random random = new Random(11);
        for (int trial = 0; trial < 2000; trial++) {
            ObjectNode pod = JSON.createObjectNode().put("kind", "Pod");
            pod.putObject("spec").put("serviceAccountName", "web");
            int metadataForm = random.nextInt(4); // absent, null, object without maps, object with maps
            if (metadataForm == 1) {
                pod.putNull("metadata");
            } else if (metadataForm >= 2) {
                ObjectNode metadata = pod.putObject("metadata").put("name", "p" + trial);
                for (Section section : Section.values()) {
                    int mapForm = random.nextInt(3); // absent, null, object
                    if (mapForm == 1) {
                        metadata.putNull(section.field());
                    } else if (mapForm == 2) {
                        ObjectNode map = metadata.putObject(section.field()).put("app", "web");
                        for (String key : KEYS) {
                            if (random.nextBoolean()) {
                                map.put(key, "old");
                            }
                        }
                    }
                }
            }
            List<KeyChange> changes = new ArrayList<>();
            for (Section section : Section.values()) {
                for (String key : KEYS) {
                    JsonNode map = pod.path("metadata").path(section.field());
                    String have = map.isObject() && map.has(key) ? map.get(key).asText() : null;
                    String want = random.nextInt(3) == 0 ? null : "v" + random.nextInt(3);
                    if (random.nextBoolean() && !java.util.Objects.equals(have, want) && (have != null || want != null)) {
                        changes.add(new KeyChange(section, key, have, want));
                    }
                }
            }
            byte[] patch = JsonPatches.forKeyChanges(pod, changes);
            JsonNode patched = patch == null ? pod : JsonPatch.apply(JSON.readTree(patch), pod);
            for (KeyChange c : changes) {
                JsonNode value = patched.path("metadata").path(c.section().field()).path(c.key());
                assertEquals(c.want(), value.isMissingNode() ? null : value.asText(), trial + ": " + c + " in " + pod + " by " + patchText(patch));
            }
            ObjectNode untouched = pod.deepCopy();
            ObjectNode after = ((ObjectNode) patched).deepCopy();
            for (ObjectNode o : List.of(untouched, after)) {
                for (Section section : Section.values()) {
                    JsonNode map = o.path("metadata").path(section.field());
                    if (map.isObject()) {
                        changes.stream().filter(c -> c.section() == section).forEach(c -> ((ObjectNode) map).remove(c.key()));
                        if (map.isEmpty() && o == after && !(untouched.path("metadata").path(section.field()).isObject())) {
                            ((ObjectNode) o.get("metadata")).remove(section.field()); // a map the patch added whole
                        }
                    }
                }
                if (o == after && !untouched.path("metadata").isObject() && o.path("metadata").isObject() && o.get("metadata").isEmpty()) {
                    o.remove("metadata");
                }
            }
            if (!untouched.path("metadata").isObject() && after.path("metadata").isObject()) {
                after.set("metadata", untouched.get("metadata")); // metadata the patch added whole, with the changes only
            }
            assertEquals(untouched.without("metadata"), after.without("metadata"), "nothing outside metadata is touched");
            assertArrayEquals(patch, JsonPatches.forKeyChanges(pod.deepCopy(), new ArrayList<>(changes)), "same inputs, same bytes");
        }
    }

    @Test
    void noChangesIsNoPatch() {
        assertNull(JsonPatches.forKeyChanges(JSON.createObjectNode(), List.of()));
        // only removals from a map that does not exist: nothing to do
        assertNull(JsonPatches.forKeyChanges(JSON.createObjectNode().putObject("metadata"),
                List.of(new KeyChange(Section.LABELS, "idgate.io/spiffe-id", null, null))));
    }

    @Test
    void aKeyIsEscapedAsAJsonPointerToken() throws Exception {
        ObjectNode pod = (ObjectNode) JSON.readTree("{\"metadata\":{\"labels\":{}}}");
        byte[] patch = JsonPatches.forKeyChanges(pod, List.of(new KeyChange(Section.LABELS, "a~b/c", null, "x")));
        assertEquals("[{\"op\":\"add\",\"path\":\"/metadata/labels/a~0b~1c\",\"value\":\"x\"}]", patchText(patch));
    }

    private static String patchText(byte[] patch) {
        return patch == null ? "none" : new String(patch, java.nio.charset.StandardCharsets.UTF_8);
    }
}
