package io.idgate.reach;

import io.idgate.netpol.Connections;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The identity and group views: workload edges folded onto ServiceAccounts or guardrail groups. An edge
 * of a view is the union of the workload edges between its members, and it is spoofable only when every
 * one of those edges is (one pinned path is enough for the edge to exist without spoofing). Externals stay
 * as they are. An edge from a node to itself (two workloads of one ServiceAccount or one group) is not
 * listed, like self edges of the workload view.
 */
public final class Views {

    private Views() {}

    /** {@code --by identity}: nodes {@code <ns>/<sa>[ServiceAccount]}. */
    /** The view named {@code view}: {@code workload}, {@code identity} or {@code group}. */
    public static ReachGraph of(Reachability r, String view) {
        return switch (view) {
            case "workload" -> r.graph();
            case "identity" -> identity(r);
            case "group" -> group(r);
            default -> throw new IllegalArgumentException("the view is workload, identity or group, not " + view);
        };
    }

    public static ReachGraph identity(Reachability r) {
        Map<String, Set<String>> nodeOf = new HashMap<>();
        Map<String, Node> nodes = new TreeMap<>();
        for (ReachPeer p : r.world().peers()) {
            nodeOf.put(p.id(), Set.of(p.identityId()));
            nodes.put(p.identityId(), new Node(p.identityId(), "ServiceAccount", p.namespace(), false));
        }
        return fold("identity", r, nodeOf, nodes);
    }

    /** {@code --by group}: nodes {@code group:<g>}; peers in no group are left out, a peer in several groups counts in each. */
    public static ReachGraph group(Reachability r) {
        Map<String, Set<String>> nodeOf = new HashMap<>();
        Map<String, Node> nodes = new TreeMap<>();
        r.world().groups().forEach((peer, groups) -> {
            Set<String> names = new TreeSet<>();
            for (String g : groups) {
                names.add("group:" + g);
                nodes.put("group:" + g, new Node("group:" + g, "Group", "", false));
            }
            nodeOf.put(peer, names);
        });
        for (ReachPeer p : r.world().peers()) {
            nodeOf.putIfAbsent(p.id(), Set.of());
        }
        return fold("group", r, nodeOf, nodes);
    }

    /**
     * A policy change seen in the identity view, without folding the whole graph twice: only the
     * identity pairs some changed workload pair belongs to are recomputed, each as the union of its
     * members' edges before and after (members reduced to classes; two identities never share a peer,
     * so no self edge hides among them). Equal to {@code ReachDiff.of(identity(before), identity(next))}.
     */
    public static ReachDiff identityDiff(Reachability.PolicyChange change) {
        IdentityDelta delta = new IdentityDelta(change);
        change.forEachChange(delta);
        return delta.diff();
    }

    /**
     * {@link #identityDiff} fed one workload change at a time ({@link Reachability.PolicyChange#forEachChange}),
     * so one walk of the changes can feed it and other consumers; it keeps only the identity pairs.
     */
    public static final class IdentityDelta implements Consumer<ReachDiff.Change> {
        private record Pair(String src, String dst) {}

        private final Reachability.PolicyChange change;
        private final Set<Pair> pairs = new HashSet<>();

        public IdentityDelta(Reachability.PolicyChange change) {
            this.change = change;
        }

        @Override
        public void accept(ReachDiff.Change c) {
            String s = change.before().identityOf(c.src());
            String d = change.before().identityOf(c.dst());
            if (!s.equals(d)) {
                pairs.add(new Pair(s, d));
            }
        }

        /** The identity pairs whose connections changed, sorted by source then destination. */
        public ReachDiff diff() {
            List<ReachDiff.Change> out = new ArrayList<>();
            for (Pair pair : pairs) {
                Connections[] b = union(change.before(), pair.src(), pair.dst());
                Connections[] a = union(change.next(), pair.src(), pair.dst());
                if (!b[0].equals(a[0])) {
                    boolean spoofable = a[0].isEmpty() ? b[1].isEmpty() : a[1].isEmpty();
                    out.add(new ReachDiff.Change(pair.src(), pair.dst(), b[0].isEmpty() ? null : b[0], a[0].isEmpty() ? null : a[0], spoofable));
                }
            }
            out.sort(ReachDiff.BY_PAIR);
            return new ReachDiff(out);
        }
    }

    /** {all, strict} connections from any member of identity {@code src} to any of {@code dst}, each class pair once. */
    private static Connections[] union(Reachability r, String src, String dst) {
        Connections all = Connections.NONE;
        Connections strict = Connections.NONE;
        for (int x : r.identityNodes(src)) {
            for (int y : r.identityNodes(dst)) {
                all = all.union(r.betweenNodes(x, y, false));
                strict = strict.union(r.betweenNodes(x, y, true));
            }
        }
        return new Connections[] {all, strict};
    }

    private static ReachGraph fold(String view, Reachability r, Map<String, Set<String>> nodeOf, Map<String, Node> nodes) {
        for (ExternalRange e : r.externals()) {
            nodes.put(e.id(), new Node(e.id(), "External", "", true));
        }
        record Acc(Connections conns, boolean spoofable) {}
        Map<String, Map<String, Acc>> acc = new TreeMap<>();
        r.forEachEdge(edge -> {
            Set<String> srcs = nodeOf.getOrDefault(edge.src(), Set.of(edge.src()));
            Set<String> dsts = nodeOf.getOrDefault(edge.dst(), Set.of(edge.dst()));
            for (String s : srcs) {
                for (String d : dsts) {
                    if (s.equals(d)) {
                        continue;
                    }
                    acc.computeIfAbsent(s, x -> new TreeMap<>()).merge(d, new Acc(edge.conns(), edge.spoofable()),
                            (a, b) -> new Acc(a.conns().union(b.conns()), a.spoofable() && b.spoofable()));
                }
            }
        });
        List<Edge> edges = new ArrayList<>();
        acc.forEach((s, m) -> m.forEach((d, a) -> edges.add(new Edge(s, d, a.conns(), a.spoofable()))));
        return new ReachGraph(view, new ArrayList<>(nodes.values()), edges, new ArrayList<>(new TreeSet<>(r.world().warnings())));
    }
}
