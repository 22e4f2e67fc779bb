package io.idgate.reach;

import java.util.List;

/**
 * The {@code txt} output of {@code idgate reach}: the line formats of design section 7, which existing
 * connectivity analyzers use too, so their users can compare outputs line by line.
 */
public final class ReachText {

    private ReachText() {}

    /** {@code <src> => <dst> : <conns>}, one line per edge, in the graph's (sorted) order. */
    public static String list(ReachGraph graph) {
        return list(graph.edges());
    }

    /** As {@link #list(ReachGraph)} for some edges (e.g. {@code who}). */
    public static String list(List<Edge> edges) {
        StringBuilder b = new StringBuilder();
        for (Edge e : edges) {
            b.append(e.src()).append(" => ").append(e.dst()).append(" : ").append(e.conns()).append('\n');
        }
        return b.toString();
    }

    /** {@code + src => dst : conns}, {@code - src => dst : conns}, {@code ~ src => dst : before -> after}. */
    public static String diff(ReachDiff diff) {
        StringBuilder b = new StringBuilder();
        for (ReachDiff.Change c : diff.changes()) {
            switch (c.kind()) {
                case ADDED -> b.append("+ ").append(c.src()).append(" => ").append(c.dst()).append(" : ").append(c.after());
                case REMOVED -> b.append("- ").append(c.src()).append(" => ").append(c.dst()).append(" : ").append(c.before());
                case CHANGED -> b.append("~ ").append(c.src()).append(" => ").append(c.dst()).append(" : ")
                        .append(c.before()).append(" -> ").append(c.after());
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The explanation as lines: each direction, then the result. */
    public static String explain(Explanation x) {
        StringBuilder b = new StringBuilder();
        b.append(x.src()).append(" => ").append(x.dst());
        if (x.port() != null) {
            b.append(" on ").append(x.port()).append('/').append(x.protocol());
        }
        b.append('\n');
        for (Explanation.Side s : List.of(x.egress(), x.ingress())) {
            b.append("  ").append(s.direction().policyType().toLowerCase(java.util.Locale.ROOT)).append(" of ").append(s.peer()).append(": ");
            switch (s.status()) {
                case EXTERNAL -> b.append("open (an address outside the cluster has no NetworkPolicy)\n");
                case OPEN -> b.append("open by default (no NetworkPolicy selects it for ").append(s.direction().policyType()).append(")\n");
                case ISOLATED -> {
                    b.append("isolated by ").append(String.join(", ", s.isolatedBy())).append('\n');
                    if (s.allowedBy().isEmpty()) {
                        b.append("    no rule of these policies allows it\n");
                    }
                    for (Explanation.Allowance a : s.allowedBy()) {
                        b.append("    allowed by ").append(a.policy()).append(' ').append(a.rulePath())
                                .append(a.peerIndex() < 0 ? " (every peer)" : "." + s.direction().peersField() + "[" + a.peerIndex() + "]")
                                .append(" : ").append(a.conns()).append(a.spoofable() ? " (spoofable)" : "").append('\n');
                    }
                }
            }
        }
        b.append("  result: ").append(x.result().isEmpty() ? "no connection" : x.result().toString());
        if (x.spoofable()) {
            b.append(" (spoofable: only selectors that do not pin identity allow it)");
        }
        return b.append('\n').toString();
    }
}
