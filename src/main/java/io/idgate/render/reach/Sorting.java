package io.idgate.render.reach;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The one order every format uses, so that no output depends on the order of its input. */
final class Sorting {

    private Sorting() {
    }

    /** By Unicode code point, as byte-wise sorting tools (sort -C under LC_ALL=C, Go's sort.Strings) order UTF-8 lines. */
    static final Comparator<String> TEXT = Sorting::compareCodePoints;

    static final Comparator<GraphModel.Node> NODES = Comparator.comparing(GraphModel.Node::id, TEXT)
            .thenComparing(GraphModel.Node::namespace, TEXT)
            .thenComparing(GraphModel.Node::kind, TEXT)
            .thenComparing(GraphModel.Node::external);

    static final Comparator<GraphModel.Edge> EDGES = Comparator.comparing(GraphModel.Edge::src, TEXT)
            .thenComparing(GraphModel.Edge::dst, TEXT)
            .thenComparing(GraphModel.Edge::connections, TEXT)
            .thenComparing(GraphModel.Edge::spoofable);

    static final Comparator<DiffModel.Change> CHANGES = Comparator.comparing(DiffModel.Change::src, TEXT)
            .thenComparing(DiffModel.Change::dst, TEXT)
            .thenComparing(DiffModel.Change::kind)
            .thenComparing(DiffModel.Change::before, TEXT)
            .thenComparing(DiffModel.Change::after, TEXT)
            .thenComparing(DiffModel.Change::spoofable);

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The peers of a graph, one per id, sorted: its nodes plus the endpoints of its edges that it does not list. */
    static List<GraphModel.Node> peers(GraphModel graph) {
        List<GraphModel.Node> all = new ArrayList<>(graph.nodes());
        for (GraphModel.Edge e : graph.edges()) {
            all.add(GraphModel.Node.of(e.src()));
            all.add(GraphModel.Node.of(e.dst()));
        }
        return byId(all, graph.nodes());
    }

    /** The peers a diff names, sorted. */
    static List<GraphModel.Node> peers(DiffModel diff) {
        List<GraphModel.Node> all = new ArrayList<>();
        for (DiffModel.Change c : diff.changes()) {
            all.add(GraphModel.Node.of(c.src()));
            all.add(GraphModel.Node.of(c.dst()));
        }
        return byId(all, List.of());
    }

    /** Listed nodes win over ones derived from an id; among listed duplicates the smallest wins, whatever the input order. */
    private static List<GraphModel.Node> byId(List<GraphModel.Node> all, List<GraphModel.Node> listed) {
        Map<String, GraphModel.Node> chosen = new TreeMap<>(TEXT);
        for (GraphModel.Node n : listed) {
            chosen.merge(n.id(), n, (x, y) -> NODES.compare(x, y) <= 0 ? x : y);
        }
        for (GraphModel.Node n : all) {
            chosen.putIfAbsent(n.id(), n);
        }
        return List.copyOf(chosen.values());
    }

    static List<GraphModel.Edge> edges(GraphModel graph) {
        return graph.edges().stream().sorted(EDGES).toList();
    }

    static List<DiffModel.Change> changes(DiffModel diff) {
        return diff.changes().stream().sorted(CHANGES).toList();
    }

    static List<String> warnings(GraphModel graph) {
        return graph.warnings().stream().sorted(TEXT).toList();
    }
}
