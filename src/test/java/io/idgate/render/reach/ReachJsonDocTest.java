package io.idgate.render.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of docs/reach-json.md are what the renderer prints, byte for byte, so the schema document cannot drift. */
class ReachJsonDocTest {

    private static List<String> jsonBlocks() throws Exception {
        List<String> blocks = new ArrayList<>();
        String doc = Files.readString(Path.of("docs/reach-json.md"));
        int at = 0;
        while ((at = doc.indexOf("```json\n", at)) >= 0) {
            int end = doc.indexOf("```\n", at + 8);
            blocks.add(doc.substring(at + 8, end));
            at = end;
        }
        return blocks;
    }

    @Test
    void theListExampleIsTheRenderersOutput() throws Exception {
        GraphModel graph = new GraphModel(
                List.of(GraphModel.Node.of("payments/api[Deployment]"), GraphModel.Node.of("0.0.0.0-9.255.255.255[External]")),
                List.of(new GraphModel.Edge("payments/api[Deployment]", "0.0.0.0-9.255.255.255[External]", "All Connections", false)),
                List.of("hostNetwork pod shop/web: CNIs differ"), "workload");
        assertEquals(jsonBlocks().get(0), ReachJson.list(graph));
    }

    @Test
    void theDiffExampleIsTheRenderersOutput() throws Exception {
        DiffModel diff = new DiffModel(List.of(
                DiffModel.Change.added("payments/api[Deployment]", "0.0.0.0-9.255.255.255[External]", "All Connections", false),
                DiffModel.Change.changed("shop/web[Deployment]", "payments/api[Deployment]", "TCP 80", "TCP 80,443", true)));
        assertEquals(jsonBlocks().get(1), ReachJson.diff(diff));
    }
}
