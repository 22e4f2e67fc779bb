package io.idgate.render.reach;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Graphs for the tests and the benchmark, made from a seed so every run draws the same one. */
final class ReachSamples {

    private ReachSamples() {
    }

    /** A name with every character some format must escape: markup, quotes, separators, a backslash, a line end. */
    static final String NASTY_NS = "we<ird>&\"ns'";
    static final String NASTY = NASTY_NS + "/a|b,c\\d*e_`f\n<script>[Deployment]";

    /** A small graph of every kind of peer: namespaces, an external range, a group, a peer with no edge. */
    static ReachGraph small() {
        List<ReachGraph.Node> nodes = List.of(
                ReachGraph.Node.of("payments/api[Deployment]"),
                ReachGraph.Node.of("payments/db[StatefulSet]"),
                ReachGraph.Node.of("shop/web[Deployment]"),
                ReachGraph.Node.of("shop/idle[Deployment]"),
                ReachGraph.Node.of("0.0.0.0-9.255.255.255[External]"),
                ReachGraph.Node.of(NASTY));
        List<ReachGraph.Edge> edges = List.of(
                new ReachGraph.Edge("shop/web[Deployment]", "payments/api[Deployment]", "TCP 80,8080-8090,UDP 53", true),
                new ReachGraph.Edge("payments/api[Deployment]", "payments/db[StatefulSet]", "TCP 5432", false),
                new ReachGraph.Edge("payments/api[Deployment]", "0.0.0.0-9.255.255.255[External]", "All Connections", false),
                new ReachGraph.Edge(NASTY, "shop/web[Deployment]", "TCP 443", true),
                new ReachGraph.Edge("shop/web[Deployment]", NASTY, "All Connections", false));
        return new ReachGraph(nodes, edges, List.of("hostNetwork pod shop/web: CNIs differ", "a <b> & \"c\""), "workload");
    }

    static ReachDiff smallDiff() {
        return new ReachDiff(List.of(
                ReachDiff.Change.changed("shop/web[Deployment]", "payments/api[Deployment]", "TCP 80", "TCP 80,443", true),
                ReachDiff.Change.added("payments/api[Deployment]", "0.0.0.0-9.255.255.255[External]", "All Connections", false),
                ReachDiff.Change.removed(NASTY, "shop/web[Deployment]", "TCP 443", true)));
    }

    /** {@code nodes} peers over {@code namespaces} namespaces plus a few external ranges, {@code edges} distinct edges. */
    static ReachGraph scale(int nodes, int edges, int namespaces, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ReachGraph.Node> peers = new ArrayList<>();
        int externals = Math.max(1, nodes / 50);
        for (int i = 0; i < nodes - externals; i++) {
            String ns = "ns-" + (i % namespaces);
            peers.add(new ReachGraph.Node(ns + "/app-" + i + "[Deployment]", ns, "Deployment", false));
        }
        for (int i = 0; i < externals; i++) {
            peers.add(ReachGraph.Node.of("10." + i + ".0.0-10." + i + ".255.255[External]"));
        }
        List<ReachGraph.Edge> list = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (list.size() < edges) {
            int s = random.nextInt(nodes);
            int d = random.nextInt(nodes);
            if (s == d || !seen.add(s + ">" + d)) {
                continue;
            }
            String conns = random.nextInt(3) == 0 ? "All Connections" : "TCP " + (80 + random.nextInt(9000)) + ",UDP 53";
            list.add(new ReachGraph.Edge(peers.get(s).id(), peers.get(d).id(), conns, random.nextInt(5) == 0));
        }
        return new ReachGraph(peers, list, List.of(), "workload");
    }
}
