package io.idgate.reach;

/**
 * A node of a reachability graph.
 *
 * @param name      {@code ns/name[Kind]}, {@code ns/sa[ServiceAccount]}, {@code group:<g>} or {@code a-b[External]}
 * @param kind      {@code Deployment}, ..., {@code ServiceAccount}, {@code Group} or {@code External}
 * @param namespace the namespace, or empty for groups and externals
 * @param external  true for address ranges outside the cluster
 */
public record Node(String name, String kind, String namespace, boolean external) implements Comparable<Node> {
    @Override
    public int compareTo(Node o) {
        return name.compareTo(o.name);
    }
}
