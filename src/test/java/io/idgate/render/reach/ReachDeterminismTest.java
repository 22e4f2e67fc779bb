package io.idgate.render.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReachDeterminismTest {

    private static GraphModel shuffled(GraphModel g, long seed) {
        List<GraphModel.Node> nodes = new ArrayList<>(g.nodes());
        List<GraphModel.Edge> edges = new ArrayList<>(g.edges());
        List<String> warnings = new ArrayList<>(g.warnings());
        Collections.shuffle(nodes, new Random(seed));
        Collections.shuffle(edges, new Random(seed + 1));
        Collections.shuffle(warnings, new Random(seed + 2));
        return new GraphModel(nodes, edges, warnings, g.view());
    }

    @ParameterizedTest(name = "{0}: the same list renders to the same bytes, whatever the input order")
    @EnumSource(ReachOutput.class)
    void listIsDeterministic(ReachOutput format) {
        GraphModel graph = ReachSamples.scale(30, 90, 4, 21);
        String first = format.list(graph);
        assertEquals(first, format.list(graph));
        assertEquals(first, format.list(shuffled(graph, 5)));
        assertEquals(format.list(ReachSamples.small()), format.list(shuffled(ReachSamples.small(), 8)));
    }

    @ParameterizedTest(name = "{0}: the same diff renders to the same bytes, whatever the input order")
    @EnumSource(ReachOutput.class)
    void diffIsDeterministic(ReachOutput format) {
        DiffModel diff = ReachSamples.smallDiff();
        List<DiffModel.Change> reversed = new ArrayList<>(diff.changes());
        Collections.reverse(reversed);
        assertEquals(format.diff(diff), format.diff(diff));
        assertEquals(format.diff(diff), format.diff(new DiffModel(reversed)));
    }

    @ParameterizedTest(name = "{0}: a different graph renders differently")
    @EnumSource(ReachOutput.class)
    void differentInputDifferentOutput(ReachOutput format) {
        assertNotEquals(format.list(ReachSamples.scale(20, 40, 3, 1)), format.list(ReachSamples.scale(20, 40, 3, 2)));
    }

    @Test
    void formatsAreNamedAsTheOptionSaysThem() {
        for (String name : List.of("txt", "json", "csv", "md", "dot", "svg", "html")) {
            assertEquals(name, ReachOutput.of(name).id());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReachOutput.of("yaml"));
        assertTrue(e.getMessage().contains("txt|json|csv|md|dot|svg|html"), e.getMessage());
    }

    @Test
    void anEdgeToAnUnlistedPeerGetsAPeerFromItsId() {
        GraphModel graph = new GraphModel(List.of(), List.of(new GraphModel.Edge("a/x[Pod]", "1.0.0.0-1.0.0.255[External]", "TCP 1", false)),
                List.of(), "workload");
        assertEquals(List.of(GraphModel.Node.of("1.0.0.0-1.0.0.255[External]"), new GraphModel.Node("a/x[Pod]", "a", "Pod", false)),
                Sorting.peers(graph));
        assertTrue(GraphModel.Node.of("1.0.0.0-1.0.0.255[External]").external());
        assertEquals(new GraphModel.Node("group:payments", "", "group", false), GraphModel.Node.of("group:payments"));
    }
}
