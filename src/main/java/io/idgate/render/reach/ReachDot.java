package io.idgate.render.reach;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -o dot}: Graphviz, laid out by whoever runs {@code dot}. One cluster per namespace, the
 * external ranges in a cluster of their own, peers without a namespace (groups) at the top level;
 * edge labels are the connections. Spoofable edges are dashed and red. In a diff, colour tells the
 * change (green added, grey removed, blue changed) and dashes still tell spoofable.
 */
public final class ReachDot {

    private ReachDot() {
    }

    public static String list(GraphModel graph) {
        return render(Drawing.of(graph));
    }

    public static String diff(DiffModel diff) {
        return render(Drawing.of(diff));
    }

    static String render(Drawing d) {
        StringBuilder out = new StringBuilder();
        out.append("digraph \"").append(d.diff() ? "reach diff" : "reach").append("\" {\n");
        out.append("  graph [rankdir=LR, fontname=\"monospace\", fontsize=11];\n");
        out.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"monospace\", fontsize=11];\n");
        out.append("  edge [fontname=\"monospace\", fontsize=9];\n");
        Map<String, List<GraphModel.Node>> groups = new LinkedHashMap<>();
        List<GraphModel.Node> loose = new ArrayList<>();
        for (GraphModel.Node n : d.nodes()) {
            String g = ReachLayout.groupOf(n);
            if (g == null) {
                loose.add(n);
            } else {
                groups.computeIfAbsent(g, k -> new ArrayList<>()).add(n);
            }
        }
        List<String> keys = new ArrayList<>(groups.keySet());
        keys.sort(Sorting.TEXT);
        int cluster = 0;
        for (String g : keys) {
            boolean external = g.equals(ReachLayout.EXTERNAL_GROUP);
            // Cluster names are numbered, not made from the namespace: only the label shows text.
            out.append("  subgraph cluster_").append(cluster++).append(" {\n");
            out.append("    label=").append(quote(external ? ReachLayout.EXTERNAL_LABEL : g)).append(";\n");
            out.append(external ? "    style=\"dashed\"; color=\"#888888\";\n" : "    style=\"rounded\"; color=\"#4a6fa5\";\n");
            for (GraphModel.Node n : groups.get(g)) {
                out.append("    ").append(node(n, external)).append('\n');
            }
            out.append("  }\n");
        }
        for (GraphModel.Node n : loose) {
            out.append("  ").append(node(n, false)).append('\n');
        }
        for (Drawing.Line l : d.lines()) {
            out.append("  ").append(quote(l.src())).append(" -> ").append(quote(l.dst())).append(" [label=")
                    .append(quote(l.label()));
            List<String> attrs = new ArrayList<>();
            if (l.change() != null) {
                attrs.add("color=\"" + switch (l.change()) {
                    case ADDED -> "#2e7d32";
                    case REMOVED -> "#9e9e9e";
                    case CHANGED -> "#1565c0";
                } + "\"");
                if (l.spoofable()) {
                    attrs.add("style=dashed");
                }
            } else if (l.spoofable()) {
                attrs.add("style=dashed");
                attrs.add("color=red");
                attrs.add("fontcolor=red");
            }
            if (l.spoofable()) {
                attrs.add("tooltip=" + quote("spoofable: " + l.label()));
            }
            for (String a : attrs) {
                out.append(", ").append(a);
            }
            out.append("];\n");
        }
        out.append("}\n");
        return out.toString();
    }

    private static String node(GraphModel.Node n, boolean external) {
        return quote(n.id()) + " [label=" + quote(ReachLayout.shortLabel(n)) + (external ? ", fillcolor=\"#f3f3f3\"" : "") + "];";
    }

    /**
     * A DOT double-quoted string: quotes and backslashes escaped (a backslash would otherwise start a
     * Graphviz escape such as {@code \N}); line ends as {@code \n}; other control characters dropped.
     */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> {
                }
                default -> {
                    if (c >= 0x20 && c != 0x7f) {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
