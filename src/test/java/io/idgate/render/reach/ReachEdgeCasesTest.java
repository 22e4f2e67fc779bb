package io.idgate.render.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Inputs the engine should not produce but a renderer must survive: nothing at all, a self edge, a repeated pair. */
class ReachEdgeCasesTest {

    @ParameterizedTest(name = "{0}: an empty list and an empty diff still render")
    @EnumSource(ReachOutput.class)
    void emptyInput(ReachOutput format) throws Exception {
        String list = format.list(new GraphModel(List.of(), List.of(), List.of(), "workload"));
        String diff = format.diff(new DiffModel(List.of()));
        if (format == ReachOutput.SVG) {
            ReachSvgTest.parse(list);
            ReachSvgTest.parse(diff);
        }
        if (format == ReachOutput.TXT) {
            assertEquals("", list);
        } else {
            assertTrue(!list.isEmpty() && !diff.isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}: a self edge and a repeated pair render without failing")
    @EnumSource(ReachOutput.class)
    void selfEdgeAndRepeatedPair(ReachOutput format) throws Exception {
        GraphModel graph = new GraphModel(List.of(GraphModel.Node.of("a/x[Pod]")), List.of(
                new GraphModel.Edge("a/x[Pod]", "a/x[Pod]", "TCP 1", false),
                new GraphModel.Edge("a/x[Pod]", "b/y[Pod]", "TCP 2", false),
                new GraphModel.Edge("a/x[Pod]", "b/y[Pod]", "UDP 3", true)), List.of(), "workload");
        String out = format.list(graph);
        if (format == ReachOutput.SVG) {
            assertEquals(3, ReachSvgTest.groupsOfClass(ReachSvgTest.parse(out), "edge").size());
        }
        if (format == ReachOutput.HTML) {
            assertTrue(out.contains(">TCP 2<br>UDP 3 ⚠</td>"), "a repeated pair shares its cell");
        }
        assertTrue(out.contains("TCP 2"), out);
    }
}
