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

    static final Comparator<ReachGraph.Node> NODES = Comparator.comparing(ReachGraph.Node::id, TEXT)
            .thenComparing(ReachGraph.Node::namespace, TEXT)
            .thenComparing(ReachGraph.Node::kind, TEXT)
            .thenComparing(ReachGraph.Node::external);

    static final Comparator<ReachGraph.Edge> EDGES = Comparator.comparing(ReachGraph.Edge::src, TEXT)
            .thenComparing(ReachGraph.Edge::dst, TEXT)
            .thenComparing(ReachGraph.Edge::connections, TEXT)
            .thenComparing(ReachGraph.Edge::spoofable);

    static final Comparator<ReachDiff.Change> CHANGES = Comparator.comparing(ReachDiff.Change::src, TEXT)
            .thenComparing(ReachDiff.Change::dst, TEXT)
            .thenComparing(ReachDiff.Change::kind)
            .thenComparing(ReachDiff.Change::before, TEXT)
            .thenComparing(ReachDiff.Change::after, TEXT)
            .thenComparing(ReachDiff.Change::spoofable);

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
    static List<ReachGraph.Node> peers(ReachGraph graph) {
        List<ReachGraph.Node> all = new ArrayList<>(graph.nodes());
        for (ReachGraph.Edge e : graph.edges()) {
            all.add(ReachGraph.Node.of(e.src()));
            all.add(ReachGraph.Node.of(e.dst()));
        }
        return byId(all, graph.nodes());
    }

    /** The peers a diff names, sorted. */
    static List<ReachGraph.Node> peers(ReachDiff diff) {
        List<ReachGraph.Node> all = new ArrayList<>();
        for (ReachDiff.Change c : diff.changes()) {
            all.add(ReachGraph.Node.of(c.src()));
            all.add(ReachGraph.Node.of(c.dst()));
        }
        return byId(all, List.of());
    }

    /** Listed nodes win over ones derived from an id; among listed duplicates the smallest wins, whatever the input order. */
    private static List<ReachGraph.Node> byId(List<ReachGraph.Node> all, List<ReachGraph.Node> listed) {
        Map<String, ReachGraph.Node> chosen = new TreeMap<>(TEXT);
        for (ReachGraph.Node n : listed) {
            chosen.merge(n.id(), n, (x, y) -> NODES.compare(x, y) <= 0 ? x : y);
        }
        for (ReachGraph.Node n : all) {
            chosen.putIfAbsent(n.id(), n);
        }
        return List.copyOf(chosen.values());
    }

    static List<ReachGraph.Edge> edges(ReachGraph graph) {
        return graph.edges().stream().sorted(EDGES).toList();
    }

    static List<ReachDiff.Change> changes(ReachDiff diff) {
        return diff.changes().stream().sorted(CHANGES).toList();
    }

    static List<String> warnings(ReachGraph graph) {
        return graph.warnings().stream().sorted(TEXT).toList();
    }
}
