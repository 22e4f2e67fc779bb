package io.idgate.render.reach;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code -o json}, the schema of {@code docs/reach-json.md}. Built as a tree so the key order is the
 * order written here, not a bean's; indented with {@code \n} whatever the platform's line separator.
 */
public final class ReachJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = new ObjectMapper()
            .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private ReachJson() {
    }

    /** {@code {"view", "peers": [{"id","namespace","kind","external"}], "connections": [{"src","dst","conns","spoofable"}], "warnings"}}. */
    public static String list(GraphModel graph) {
        ObjectNode root = NODES.objectNode();
        root.put("view", graph.view());
        ArrayNode peers = root.putArray("peers");
        for (GraphModel.Node n : Sorting.peers(graph)) {
            peers.addObject().put("id", n.id()).put("namespace", n.namespace()).put("kind", n.kind()).put("external", n.external());
        }
        ArrayNode connections = root.putArray("connections");
        for (GraphModel.Edge e : Sorting.edges(graph)) {
            connections.addObject().put("src", e.src()).put("dst", e.dst()).put("conns", e.connections())
                    .put("spoofable", e.spoofable());
        }
        ArrayNode warnings = root.putArray("warnings");
        Sorting.warnings(graph).forEach(warnings::add);
        return write(root);
    }

    /** {@code {"added": [{"src","dst","conns","spoofable"}], "removed": [...], "changed": [{"src","dst","before","after","spoofable"}]}}. */
    public static String diff(DiffModel diff) {
        ObjectNode root = NODES.objectNode();
        ArrayNode added = root.putArray("added");
        ArrayNode removed = root.putArray("removed");
        ArrayNode changed = root.putArray("changed");
        for (DiffModel.Change c : Sorting.changes(diff)) {
            switch (c.kind()) {
                case ADDED -> added.addObject().put("src", c.src()).put("dst", c.dst()).put("conns", c.after())
                        .put("spoofable", c.spoofable());
                case REMOVED -> removed.addObject().put("src", c.src()).put("dst", c.dst()).put("conns", c.before())
                        .put("spoofable", c.spoofable());
                case CHANGED -> changed.addObject().put("src", c.src()).put("dst", c.dst()).put("before", c.before())
                        .put("after", c.after()).put("spoofable", c.spoofable());
            }
        }
        return write(root);
    }

    private static String write(ObjectNode root) {
        try {
            return WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and booleans always serializes", e);
        }
    }
}
