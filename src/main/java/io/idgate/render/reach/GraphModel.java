package io.idgate.render.reach;

import java.util.List;
import java.util.Objects;

/**
 * Who reaches whom, as the renderers see it: the peers, one edge per ordered pair with any
 * connection, the engine's warnings and the view ({@code workload}, {@code identity}, {@code group}).
 * Order does not matter: every renderer sorts. An edge whose endpoint is not among {@code nodes} gets
 * a node made by {@link Node#of(String)}.
 */
public record GraphModel(List<Node> nodes, List<Edge> edges, List<String> warnings, String view) {

    public GraphModel {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        warnings = List.copyOf(warnings);
        view = Objects.requireNonNullElse(view, "workload");
    }

    /**
     * A peer. {@code id} is the name every format prints ({@code payments/api[Deployment]},
     * {@code payments/api[ServiceAccount]}, {@code group:payments}, {@code 0.0.0.0-9.255.255.255[External]});
     * {@code namespace} groups peers in the drawings ({@code ""} for none); {@code external}: an
     * address range outside the cluster.
     */
    public record Node(String id, String namespace, String kind, boolean external) {
        public Node {
            Objects.requireNonNull(id, "id");
            namespace = Objects.requireNonNullElse(namespace, "");
            kind = Objects.requireNonNullElse(kind, "");
        }

        /** The node an id of design section 7 names: {@code ns/name[Kind]}, {@code group:g}, {@code range[External]}. */
        public static Node of(String id) {
            if (id.endsWith("[External]")) {
                return new Node(id, "", "External", true);
            }
            if (id.startsWith("group:")) {
                return new Node(id, "", "group", false);
            }
            int slash = id.indexOf('/');
            int open = id.lastIndexOf('[');
            String kind = open >= 0 && id.endsWith("]") ? id.substring(open + 1, id.length() - 1) : "";
            return new Node(id, slash > 0 && (open < 0 || slash < open) ? id.substring(0, slash) : "", kind, false);
        }
    }

    /**
     * The connections from {@code src} to {@code dst}, already worded ({@code All Connections},
     * {@code TCP 80,8080-8090,UDP 53}); {@code spoofable}: the edge exists only through a selector that
     * does not pin identity.
     */
    public record Edge(String src, String dst, String connections, boolean spoofable) {
        public Edge {
            Objects.requireNonNull(src, "src");
            Objects.requireNonNull(dst, "dst");
            Objects.requireNonNull(connections, "connections");
        }
    }
}
