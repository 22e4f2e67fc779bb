package io.idgate.reach;

import io.idgate.netpol.Connections;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How reachability changed between two graphs of the same view.
 *
 * @param changes sorted by source then destination
 */
public record ReachDiff(List<Change> changes) {

    /** What happened to one ordered pair. */
    public enum Kind { ADDED, REMOVED, CHANGED }

    /**
     * One ordered pair whose connections differ.
     *
     * @param before null when the edge is new
     * @param after  null when the edge is gone
     * @param spoofable the spoofable flag after the change (before it, for a removed edge)
     */
    public record Change(String src, String dst, Connections before, Connections after, boolean spoofable) {
        public Kind kind() {
            return before == null ? Kind.ADDED : after == null ? Kind.REMOVED : Kind.CHANGED;
        }
    }

    public ReachDiff {
        changes = List.copyOf(changes);
    }

    /** The order of {@link #changes}: by source, then destination. */
    static final java.util.Comparator<Change> BY_PAIR = java.util.Comparator.comparing(Change::src).thenComparing(Change::dst);

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The changes from {@code before} to {@code after}. */
    public static ReachDiff of(ReachGraph before, ReachGraph after) {
        record Pair(String src, String dst) {}
        Map<Pair, Edge> b = new TreeMap<>((x, y) -> x.src().equals(y.src()) ? x.dst().compareTo(y.dst()) : x.src().compareTo(y.src()));
        Map<Pair, Edge> a = new TreeMap<>(((TreeMap<Pair, Edge>) b).comparator());
        before.edges().forEach(e -> b.put(new Pair(e.src(), e.dst()), e));
        after.edges().forEach(e -> a.put(new Pair(e.src(), e.dst()), e));
        Map<Pair, Change> out = new TreeMap<>(((TreeMap<Pair, Edge>) b).comparator());
        b.forEach((k, e) -> {
            Edge n = a.get(k);
            if (n == null) {
                out.put(k, new Change(k.src(), k.dst(), e.conns(), null, e.spoofable()));
            } else if (!n.conns().equals(e.conns())) {
                out.put(k, new Change(k.src(), k.dst(), e.conns(), n.conns(), n.spoofable()));
            }
        });
        a.forEach((k, n) -> {
            if (!b.containsKey(k)) {
                out.put(k, new Change(k.src(), k.dst(), null, n.conns(), n.spoofable()));
            }
        });
        return new ReachDiff(new ArrayList<>(out.values()));
    }
}
