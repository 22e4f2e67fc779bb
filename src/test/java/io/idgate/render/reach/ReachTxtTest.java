package io.idgate.render.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReachTxtTest {

    record LineCase(String name, GraphModel.Edge edge, String line) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LineCase> lines() {
        return Stream.of(
                new LineCase("an edge is src => dst : conns", new GraphModel.Edge("a/x[Pod]", "b/y[Pod]", "TCP 80,8080-8090,UDP 53", false),
                        "a/x[Pod] => b/y[Pod] : TCP 80,8080-8090,UDP 53"),
                new LineCase("a spoofable edge prints the same line, with no marker",
                        new GraphModel.Edge("a/x[Pod]", "b/y[Pod]", "All Connections", true), "a/x[Pod] => b/y[Pod] : All Connections"),
                new LineCase("markup and quotes are printed as they are", new GraphModel.Edge("a<b>&\"'", "c|d,e", "All Connections", false),
                        "a<b>&\"' => c|d,e : All Connections"),
                new LineCase("a line end in a name is escaped, so one edge stays one line",
                        new GraphModel.Edge("a\nb", "c\rd", "All Connections", false), "a\\u000ab => c\\u000dd : All Connections"),
                new LineCase("a backslash doubles, so an escape cannot be forged",
                        new GraphModel.Edge("a\\u000ab", "c", "All Connections", false), "a\\\\u000ab => c : All Connections"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void formatsOneLine(LineCase c) {
        assertEquals(c.line() + "\n", ReachTxt.list(new GraphModel(List.of(), List.of(c.edge()), List.of(), "workload")));
    }

    @Test
    void linesAreSortedWhateverTheInputOrder() {
        GraphModel graph = ReachSamples.scale(30, 120, 4, 3);
        String expected = ReachTxt.list(graph);
        List<String> lines = List.of(expected.split("\n"));
        List<String> sorted = new ArrayList<>(lines);
        Collections.sort(sorted);
        assertEquals(sorted, lines, "the lines are sorted");
        List<GraphModel.Edge> shuffled = new ArrayList<>(graph.edges());
        Collections.shuffle(shuffled, new Random(11));
        assertEquals(expected, ReachTxt.list(new GraphModel(graph.nodes(), shuffled, graph.warnings(), graph.view())));
    }

    @Test
    void unsortedInputIsNotPrintedInInputOrder() {
        GraphModel graph = new GraphModel(List.of(), List.of(new GraphModel.Edge("b", "a", "TCP 1", false),
                new GraphModel.Edge("a", "b", "TCP 1", false)), List.of(), "workload");
        assertEquals("a => b : TCP 1\nb => a : TCP 1\n", ReachTxt.list(graph));
    }

    @Test
    void anEmptyGraphPrintsNothing() {
        assertEquals("", ReachTxt.list(new GraphModel(List.of(GraphModel.Node.of("a/b[Pod]")), List.of(), List.of("w"), "workload")));
    }

    record DiffCase(String name, DiffModel.Change change, String line) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<DiffCase> diffs() {
        return Stream.of(
                new DiffCase("an added edge starts with +", DiffModel.Change.added("a", "b", "TCP 80", false), "+ a => b : TCP 80"),
                new DiffCase("a removed edge starts with -", DiffModel.Change.removed("a", "b", "TCP 80", true), "- a => b : TCP 80"),
                new DiffCase("a changed edge starts with ~ and shows before -> after",
                        DiffModel.Change.changed("a", "b", "TCP 80", "All Connections", false), "~ a => b : TCP 80 -> All Connections"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("diffs")
    void diffSymbols(DiffCase c) {
        assertEquals(c.line() + "\n", ReachTxt.diff(new DiffModel(List.of(c.change()))));
    }

    @Test
    void diffLinesAreSortedByPairNotBySymbol() {
        String out = ReachTxt.diff(new DiffModel(List.of(DiffModel.Change.added("c", "d", "TCP 1", false),
                DiffModel.Change.removed("a", "b", "TCP 2", false), DiffModel.Change.changed("b", "c", "TCP 1", "TCP 2", false))));
        assertEquals("- a => b : TCP 2\n~ b => c : TCP 1 -> TCP 2\n+ c => d : TCP 1\n", out);
        assertFalse(out.contains("spoofable"));
    }

    @Test
    void anEmptyDiffPrintsNothing() {
        assertTrue(ReachTxt.diff(new DiffModel(List.of())).isEmpty());
    }
}
