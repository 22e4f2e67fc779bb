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
    static GraphModel small() {
        List<GraphModel.Node> nodes = List.of(
                GraphModel.Node.of("payments/api[Deployment]"),
                GraphModel.Node.of("payments/db[StatefulSet]"),
                GraphModel.Node.of("shop/web[Deployment]"),
                GraphModel.Node.of("shop/idle[Deployment]"),
                GraphModel.Node.of("0.0.0.0-9.255.255.255[External]"),
                GraphModel.Node.of(NASTY));
        List<GraphModel.Edge> edges = List.of(
                new GraphModel.Edge("shop/web[Deployment]", "payments/api[Deployment]", "TCP 80,8080-8090,UDP 53", true),
                new GraphModel.Edge("payments/api[Deployment]", "payments/db[StatefulSet]", "TCP 5432", false),
                new GraphModel.Edge("payments/api[Deployment]", "0.0.0.0-9.255.255.255[External]", "All Connections", false),
                new GraphModel.Edge(NASTY, "shop/web[Deployment]", "TCP 443", true),
                new GraphModel.Edge("shop/web[Deployment]", NASTY, "All Connections", false));
        return new GraphModel(nodes, edges, List.of("hostNetwork pod shop/web: CNIs differ", "a <b> & \"c\""), "workload");
    }

    static DiffModel smallDiff() {
        return new DiffModel(List.of(
                DiffModel.Change.changed("shop/web[Deployment]", "payments/api[Deployment]", "TCP 80", "TCP 80,443", true),
                DiffModel.Change.added("payments/api[Deployment]", "0.0.0.0-9.255.255.255[External]", "All Connections", false),
                DiffModel.Change.removed(NASTY, "shop/web[Deployment]", "TCP 443", true)));
    }

    /** {@code nodes} peers over {@code namespaces} namespaces plus a few external ranges, {@code edges} distinct edges. */
    static GraphModel scale(int nodes, int edges, int namespaces, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<GraphModel.Node> peers = new ArrayList<>();
        int externals = Math.max(1, nodes / 50);
        for (int i = 0; i < nodes - externals; i++) {
            String ns = "ns-" + (i % namespaces);
            peers.add(new GraphModel.Node(ns + "/app-" + i + "[Deployment]", ns, "Deployment", false));
        }
        for (int i = 0; i < externals; i++) {
            peers.add(GraphModel.Node.of("10." + i + ".0.0-10." + i + ".255.255[External]"));
        }
        List<GraphModel.Edge> list = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (list.size() < edges) {
            int s = random.nextInt(nodes);
            int d = random.nextInt(nodes);
            if (s == d || !seen.add(s + ">" + d)) {
                continue;
            }
            String conns = random.nextInt(3) == 0 ? "All Connections" : "TCP " + (80 + random.nextInt(9000)) + ",UDP 53";
            list.add(new GraphModel.Edge(peers.get(s).id(), peers.get(d).id(), conns, random.nextInt(5) == 0));
        }
        return new GraphModel(peers, list, List.of(), "workload");
    }
}
