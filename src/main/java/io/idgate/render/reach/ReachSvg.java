package io.idgate.render.reach;

import java.util.List;

/**
 * {@code -o svg}: the graph laid out by {@link ReachLayout} (Eclipse Layout Kernel), drawn here: one
 * box per namespace, peers as boxes, edges as arrows, spoofable edges dashed red, a legend below. The
 * connections of an edge are its tooltip ({@code <title>}); the HTML output adds the matrix.
 */
public final class ReachSvg {

    static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final double LEGEND_HEIGHT = 130;

    private ReachSvg() {
    }

    public static String list(GraphModel graph) {
        return render(Drawing.of(graph), "idgate reach: " + graph.view() + " view");
    }

    public static String diff(DiffModel diff) {
        return render(Drawing.of(diff), "idgate reach diff");
    }

    static String render(Drawing d, String title) {
        return svg(ReachLayout.layout(d), d, title);
    }

    /** The SVG element alone, also embedded in the HTML output. */
    static String svg(ReachLayout.Laid laid, Drawing d, String title) {
        double width = Math.max(laid.width(), 640);
        double height = laid.height() + LEGEND_HEIGHT;
        StringBuilder out = new StringBuilder(256 + 200 * (laid.peers().size() + laid.paths().size()));
        out.append("<svg xmlns=\"").append(SVG_NS).append("\" width=\"").append(num(width)).append("\" height=\"")
                .append(num(height)).append("\" viewBox=\"0 0 ").append(num(width)).append(' ').append(num(height))
                .append("\" font-family=\"monospace\" font-size=\"12\" class=\"reach-graph\">\n");
        out.append("<title>").append(xml(title)).append("</title>\n");
        out.append("<defs>\n");
        marker(out, "arrow", "#37474f");
        marker(out, "arrow-spoofable", "#d32f2f");
        marker(out, "arrow-added", "#2e7d32");
        marker(out, "arrow-removed", "#9e9e9e");
        marker(out, "arrow-changed", "#1565c0");
        out.append("</defs>\n");
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");

        out.append("<g class=\"groups\">\n");
        for (ReachLayout.Group g : laid.groups()) {
            ReachLayout.Box b = g.box();
            out.append("<g class=\"group").append(g.external() ? " external" : "").append("\" data-ns=\"")
                    .append(xml(g.label())).append("\"><rect x=\"").append(num(b.x())).append("\" y=\"").append(num(b.y()))
                    .append("\" width=\"").append(num(b.w())).append("\" height=\"").append(num(b.h()))
                    .append("\" rx=\"6\" fill=\"").append(g.external() ? "#f5f5f5" : "#eef3fa").append("\" stroke=\"")
                    .append(g.external() ? "#888888\" stroke-dasharray=\"4 3" : "#4a6fa5").append("\"/><text x=\"")
                    .append(num(b.x() + 10)).append("\" y=\"").append(num(b.y() + 18)).append("\" font-weight=\"bold\">")
                    .append(xml(g.label())).append("</text></g>\n");
        }
        out.append("</g>\n");

        out.append("<g class=\"edges\" fill=\"none\">\n");
        for (ReachLayout.Path p : laid.paths()) {
            Drawing.Line l = p.line();
            String style = style(l);
            out.append("<g class=\"edge ").append(style).append(l.spoofable() ? " spoofable" : "").append("\" data-src=\"")
                    .append(p.src()).append("\" data-dst=\"").append(p.dst()).append("\"><title>").append(xml(l.src()))
                    .append(" =&gt; ").append(xml(l.dst())).append(" : ").append(xml(l.label()))
                    .append(l.spoofable() ? " (spoofable)" : "").append("</title><polyline points=\"");
            List<ReachLayout.Point> pts = p.points();
            for (int i = 0; i < pts.size(); i++) {
                out.append(i == 0 ? "" : " ").append(num(pts.get(i).x())).append(',').append(num(pts.get(i).y()));
            }
            out.append("\" stroke=\"").append(color(l)).append("\" stroke-width=\"1.3\"")
                    .append(l.spoofable() ? " stroke-dasharray=\"6 4\"" : "").append(" marker-end=\"url(#")
                    .append(style.equals("plain") ? "arrow" : "arrow-" + style).append(")\"/>");
            if (p.label() != null) {
                ReachLayout.Box b = p.label();
                out.append("<text class=\"label\" x=\"").append(num(b.x() + 3)).append("\" y=\"").append(num(b.y() + b.h() - 3))
                        .append("\" font-size=\"10\" fill=\"").append(color(l)).append("\" stroke=\"#ffffff\" stroke-width=\"3\" ")
                        .append("paint-order=\"stroke\">").append(xml(l.label())).append("</text>");
            }
            out.append("</g>\n");
        }
        out.append("</g>\n");

        out.append("<g class=\"nodes\">\n");
        for (int i = 0; i < laid.peers().size(); i++) {
            ReachLayout.Peer p = laid.peers().get(i);
            ReachLayout.Box b = p.box();
            out.append("<g class=\"node").append(p.node().external() ? " external" : "").append("\" data-i=\"").append(i)
                    .append("\" data-ns=\"").append(xml(nsOf(p.node())))
                    .append("\"><title>").append(xml(p.node().id())).append("</title><rect x=\"").append(num(b.x()))
                    .append("\" y=\"").append(num(b.y())).append("\" width=\"").append(num(b.w())).append("\" height=\"")
                    .append(num(b.h())).append("\" rx=\"4\" fill=\"#ffffff\" stroke=\"#37474f\"/><text x=\"")
                    .append(num(b.x() + 10)).append("\" y=\"").append(num(b.y() + b.h() / 2 + 4)).append("\">")
                    .append(xml(ReachLayout.shortLabel(p.node()))).append("</text></g>\n");
        }
        out.append("</g>\n");
        legend(out, laid.height() + 8, d.diff());
        out.append("</svg>\n");
        return out.toString();
    }

    /** The namespace filter's key of a peer: its namespace, or the external box's label. */
    static String nsOf(GraphModel.Node n) {
        return n.external() ? ReachLayout.EXTERNAL_LABEL : n.namespace();
    }

    /** The marker suffix and CSS class of a line: its change in a diff, plain or spoofable in a list. */
    static String style(Drawing.Line l) {
        if (l.change() != null) {
            return l.change().name().toLowerCase(java.util.Locale.ROOT);
        }
        return l.spoofable() ? "spoofable" : "plain";
    }

    private static String color(Drawing.Line l) {
        if (l.change() != null) {
            return switch (l.change()) {
                case ADDED -> "#2e7d32";
                case REMOVED -> "#9e9e9e";
                case CHANGED -> "#1565c0";
            };
        }
        return l.spoofable() ? "#d32f2f" : "#37474f";
    }

    private static void marker(StringBuilder out, String id, String color) {
        out.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" ")
                .append("markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"")
                .append(color).append("\"/></marker>\n");
    }

    private static void legend(StringBuilder out, double y, boolean diff) {
        out.append("<g class=\"legend\" transform=\"translate(16,").append(num(y)).append(")\" font-size=\"11\">\n");
        String[][] rows = diff
                ? new String[][] {{"added", "#2e7d32", "", "connection added"}, {"removed", "#9e9e9e", "", "connection removed"},
                        {"changed", "#1565c0", "", "connections changed"},
                        {"", "#37474f", "6 4", "dashed: spoofable, exists only through labels a pod or namespace owner can set"}}
                : new String[][] {{"", "#37474f", "", "connection (its label or tooltip: the ports)"},
                        {"spoofable", "#d32f2f", "6 4",
                                "spoofable: exists only through labels a pod or namespace owner can set"}};
        double row = 0;
        for (String[] r : rows) {
            out.append("<line x1=\"0\" y1=\"").append(num(row + 8)).append("\" x2=\"40\" y2=\"").append(num(row + 8))
                    .append("\" stroke=\"").append(r[1]).append("\" stroke-width=\"1.5\"")
                    .append(r[2].isEmpty() ? "" : " stroke-dasharray=\"" + r[2] + "\"").append(" marker-end=\"url(#arrow")
                    .append(r[0].isEmpty() ? "" : "-" + r[0]).append(")\"/><text x=\"50\" y=\"").append(num(row + 12))
                    .append("\">").append(xml(r[3])).append("</text>\n");
            row += 18;
        }
        out.append("<rect x=\"6\" y=\"").append(num(row + 1)).append("\" width=\"28\" height=\"14\" rx=\"3\" fill=\"#eef3fa\" ")
                .append("stroke=\"#4a6fa5\"/><text x=\"50\" y=\"").append(num(row + 12)).append("\">namespace</text>\n");
        row += 18;
        out.append("<rect x=\"6\" y=\"").append(num(row + 1)).append("\" width=\"28\" height=\"14\" rx=\"3\" fill=\"#f5f5f5\" ")
                .append("stroke=\"#888888\" stroke-dasharray=\"4 3\"/><text x=\"50\" y=\"").append(num(row + 12))
                .append("\">outside the cluster (IPv4 ranges)</text>\n");
        out.append("</g>\n");
    }

    /** A coordinate: one decimal, '.' whatever the locale, no trailing ".0". */
    static String num(double v) {
        long t = Math.round(v * 10);
        String sign = t < 0 ? "-" : "";
        t = Math.abs(t);
        return sign + t / 10 + (t % 10 == 0 ? "" : "." + t % 10);
    }

    /**
     * XML text and attribute content: the five markup characters as entities, and the characters XML 1.0
     * forbids (control characters, lone surrogates, U+FFFE/U+FFFF) as U+FFFD, so the document always
     * parses.
     */
    static String xml(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || Character.isSurrogate(c)
                            || c == '\uFFFE' || c == '\uFFFF') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
