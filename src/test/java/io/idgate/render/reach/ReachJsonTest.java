package io.idgate.render.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReachJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> keys(JsonNode n) {
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void aListParsesBackWithTheSchemaFieldsInOrder() throws Exception {
        GraphModel graph = ReachSamples.small();
        JsonNode root = JSON.readTree(ReachJson.list(graph));
        assertEquals(List.of("view", "peers", "connections", "warnings"), keys(root));
        assertEquals("workload", root.get("view").asText());
        assertEquals(6, root.get("peers").size());
        for (JsonNode p : root.get("peers")) {
            assertEquals(List.of("id", "namespace", "kind", "external"), keys(p));
        }
        assertEquals(5, root.get("connections").size());
        for (JsonNode c : root.get("connections")) {
            assertEquals(List.of("src", "dst", "conns", "spoofable"), keys(c));
            assertTrue(c.get("spoofable").isBoolean());
        }
        assertEquals(List.of("a <b> & \"c\"", "hostNetwork pod shop/web: CNIs differ"),
                JSON.convertValue(root.get("warnings"), List.class));
    }

    @Test
    void namesThatNeedEscapingComeBackUnchanged() throws Exception {
        JsonNode root = JSON.readTree(ReachJson.list(ReachSamples.small()));
        boolean found = false;
        for (JsonNode c : root.get("connections")) {
            if (c.get("src").asText().equals(ReachSamples.NASTY)) {
                assertEquals("shop/web[Deployment]", c.get("dst").asText());
                assertTrue(c.get("spoofable").asBoolean());
                found = true;
            }
        }
        assertTrue(found);
        JsonNode external = root.get("peers").get(0);
        assertEquals("0.0.0.0-9.255.255.255[External]", external.get("id").asText());
        assertTrue(external.get("external").asBoolean());
    }

    @Test
    void aNonSpoofableEdgeSaysFalse() throws Exception {
        JsonNode root = JSON.readTree(ReachJson.list(new GraphModel(List.of(), List.of(new GraphModel.Edge("a", "b", "TCP 1", false)),
                List.of(), "identity")));
        assertEquals("identity", root.get("view").asText());
        assertEquals(false, root.get("connections").get(0).get("spoofable").asBoolean());
        assertEquals(List.of("a", "b"), root.get("peers").findValuesAsText("id"));
    }

    @Test
    void aDiffParsesBackIntoAddedRemovedAndChanged() throws Exception {
        JsonNode root = JSON.readTree(ReachJson.diff(ReachSamples.smallDiff()));
        assertEquals(List.of("added", "removed", "changed"), keys(root));
        assertEquals(List.of("src", "dst", "conns", "spoofable"), keys(root.get("added").get(0)));
        assertEquals(List.of("src", "dst", "conns", "spoofable"), keys(root.get("removed").get(0)));
        assertEquals(List.of("src", "dst", "before", "after", "spoofable"), keys(root.get("changed").get(0)));
        assertEquals("All Connections", root.get("added").get(0).get("conns").asText());
        assertEquals(ReachSamples.NASTY, root.get("removed").get(0).get("src").asText());
        assertEquals("TCP 80,443", root.get("changed").get(0).get("after").asText());
    }

    @Test
    void anEmptyDiffHasThreeEmptyLists() throws Exception {
        assertEquals("{\n  \"added\" : [ ],\n  \"removed\" : [ ],\n  \"changed\" : [ ]\n}\n", ReachJson.diff(new DiffModel(List.of())));
    }
}
