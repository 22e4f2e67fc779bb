package io.idgate.render.reach;

import java.util.List;

/**
 * What the drawn formats (dot, svg, html) show, for a list and a diff alike: sorted peers and one
 * line per edge or change. {@code change} is null in a list.
 */
record Drawing(List<GraphModel.Node> nodes, List<Line> lines, boolean diff) {

    record Line(String src, String dst, String label, boolean spoofable, DiffModel.Kind change) {
    }

    static Drawing of(GraphModel graph) {
        List<Line> lines = Sorting.edges(graph).stream()
                .map(e -> new Line(e.src(), e.dst(), e.connections(), e.spoofable(), null))
                .toList();
        return new Drawing(Sorting.peers(graph), lines, false);
    }

    static Drawing of(DiffModel diff) {
        List<Line> lines = Sorting.changes(diff).stream()
                .map(c -> new Line(c.src(), c.dst(), label(c), c.spoofable(), c.kind()))
                .toList();
        return new Drawing(Sorting.peers(diff), lines, true);
    }

    /** A change as one label: the txt diff's wording after the pair. */
    static String label(DiffModel.Change c) {
        return switch (c.kind()) {
            case ADDED -> "+ " + c.after();
            case REMOVED -> "- " + c.before();
            case CHANGED -> c.before() + " -> " + c.after();
        };
    }
}
