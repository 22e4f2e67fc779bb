package io.idgate.reach;

import io.idgate.render.reach.ReachRendering;
import io.idgate.render.reach.ReachTxt;
import java.util.List;

/** The txt output of the command line, for the engine's tests: what users read is what the tests compare. */
final class ReachText {

    private ReachText() {}

    static String list(ReachGraph graph) {
        return ReachTxt.list(ReachRendering.graph(graph));
    }

    static String list(List<Edge> edges) {
        return list(new ReachGraph("workload", List.of(), edges, List.of()));
    }

    static String diff(ReachDiff diff) {
        return ReachTxt.diff(ReachRendering.diff(diff));
    }
}
