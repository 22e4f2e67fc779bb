package io.idgate.render.reach;

import io.idgate.reach.ReachDiff;
import io.idgate.reach.ReachGraph;
import java.util.List;

/** The engine's results as the renderers' models: connections worded once, here. */
public final class ReachRendering {

    private ReachRendering() {}

    public static GraphModel graph(ReachGraph g) {
        List<GraphModel.Node> nodes = g.nodes().stream()
                .map(n -> new GraphModel.Node(n.name(), n.namespace(), n.kind(), n.external())).toList();
        List<GraphModel.Edge> edges = g.edges().stream()
                .map(e -> new GraphModel.Edge(e.src(), e.dst(), e.conns().toString(), e.spoofable())).toList();
        return new GraphModel(nodes, edges, g.warnings(), g.view());
    }

    public static DiffModel diff(ReachDiff d) {
        return new DiffModel(d.changes().stream().map(c -> switch (c.kind()) {
            case ADDED -> DiffModel.Change.added(c.src(), c.dst(), c.after().toString(), c.spoofable());
            case REMOVED -> DiffModel.Change.removed(c.src(), c.dst(), c.before().toString(), c.spoofable());
            case CHANGED -> DiffModel.Change.changed(c.src(), c.dst(), c.before().toString(), c.after().toString(), c.spoofable());
        }).toList());
    }
}
