package io.idgate.reach;

import java.util.List;
import java.util.function.Predicate;

/**
 * How people name peers on the command line: the full name {@code ns/name[Kind]}, or {@code ns/name}
 * when one kind has that name, or {@code ns/*} for a namespace (in {@code --focus}).
 */
public final class Focus {

    private Focus() {}

    /** The node {@code text} names: itself when a node has that id, else the one node {@code text[...]}; else {@code text}. */
    public static String resolve(ReachGraph graph, String text) {
        if (known(graph, text)) {
            return text;
        }
        List<String> matches = graph.nodes().stream().map(Node::name).filter(id -> id.startsWith(text + "[")).toList();
        return matches.size() == 1 ? matches.get(0) : text;
    }

    public static boolean known(ReachGraph graph, String id) {
        return graph.nodes().stream().anyMatch(n -> n.name().equals(id));
    }

    /** Whether {@code focus} names any peer of the graph (a namespace {@code ns/*}: any peer in it); null names all. */
    public static boolean namesAPeer(ReachGraph graph, String focus) {
        Predicate<String> matches = matcher(graph, focus);
        return graph.nodes().stream().map(Node::name).anyMatch(matches);
    }

    /** The graph with only the edges touching {@code focus} (null: all), and only spoofable ones when asked. */
    public static ReachGraph apply(ReachGraph graph, String focus, boolean spoofableOnly) {
        Predicate<String> matches = matcher(graph, focus);
        List<Edge> edges = graph.edges().stream()
                .filter(e -> focus == null || matches.test(e.src()) || matches.test(e.dst()))
                .filter(e -> !spoofableOnly || e.spoofable())
                .toList();
        return new ReachGraph(graph.view(), graph.nodes(), edges, graph.warnings());
    }

    private static Predicate<String> matcher(ReachGraph graph, String focus) {
        if (focus == null) {
            return id -> true;
        }
        if (focus.endsWith("/*")) {
            String namespace = focus.substring(0, focus.length() - 1);
            return id -> id.startsWith(namespace);
        }
        String id = resolve(graph, focus);
        return id::equals;
    }
}
