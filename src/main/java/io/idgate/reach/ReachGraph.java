package io.idgate.reach;

import java.util.List;

/**
 * What renderers draw: nodes and edges, both sorted by name, plus warnings for the user.
 *
 * @param view     {@code workload}, {@code identity} or {@code group}
 * @param nodes    every node, sorted by name (also those without edges)
 * @param edges    sorted by source then destination; none is empty and none is a self edge
 * @param warnings sorted, duplicates removed
 */
public record ReachGraph(String view, List<Node> nodes, List<Edge> edges, List<String> warnings) {

    public ReachGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        warnings = List.copyOf(warnings);
    }

    /** The edges into {@code node} ({@code who --to}). */
    public List<Edge> into(String node) {
        return edges.stream().filter(e -> e.dst().equals(node)).toList();
    }

    /** The edges out of {@code node} ({@code who --from}). */
    public List<Edge> outOf(String node) {
        return edges.stream().filter(e -> e.src().equals(node)).toList();
    }

    /** Only the spoofable edges ({@code --spoofable}). */
    public ReachGraph spoofableOnly() {
        return new ReachGraph(view, nodes, edges.stream().filter(Edge::spoofable).toList(), warnings);
    }
}
