package io.idgate.render.reach;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.math.KVector;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.options.HierarchyHandling;
import org.eclipse.elk.core.options.SizeConstraint;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Places a {@link Drawing} with the Eclipse Layout Kernel's layered algorithm: peers as boxes inside
 * one box per namespace (external ranges in a box of their own), edges as polylines. Returns absolute
 * coordinates, so the SVG writer only draws. The seed is fixed and the input sorted: same drawing,
 * same coordinates.
 */
final class ReachLayout {

    /** Monospace 12px: the SVG's font, so a box fits its label without measuring text. */
    static final double CHAR_WIDTH = 7.4;
    static final double NODE_HEIGHT = 28;
    static final double GROUP_LABEL_HEIGHT = 26;
    /** The external ranges' box; a key no namespace can have (it starts with NUL), so the two never merge. */
    static final String EXTERNAL_GROUP = "\u0000external";
    static final String EXTERNAL_LABEL = "outside the cluster";

    record Box(double x, double y, double w, double h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }
    }

    record Point(double x, double y) {
    }

    /** A namespace box; {@code external}: the box of the address ranges. */
    record Group(String label, boolean external, Box box) {
    }

    record Peer(GraphModel.Node node, Box box) {
    }

    /** One drawn line, its points from the source's border to the target's. */
    /** {@code label}: where the connections text goes (its box), or null when the graph is too large to label. */
    record Path(Drawing.Line line, int src, int dst, List<Point> points, Box label) {
    }

    record Laid(double width, double height, List<Group> groups, List<Peer> peers, List<Path> paths) {
    }

    /** Lines above which a graph is laid out for speed rather than for the fewest crossings. */
    static final int LARGE = 300;

    /** Lines up to which every edge carries its connections as a visible label, placed by ELK; above, a tooltip. */
    static final int LABELLED = 80;
    static final double LABEL_CHAR_WIDTH = 6.2;
    static final double LABEL_HEIGHT = 14;

    private static final Object REGISTER = new Object();
    private static volatile boolean registered;

    private ReachLayout() {
    }

    /** ELK finds algorithms through a registry; register the layered one once, whatever the class loader's service files say. */
    private static void register() {
        if (!registered) {
            synchronized (REGISTER) {
                if (!registered) {
                    LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
                    registered = true;
                }
            }
        }
    }

    static double labelWidth(String text) {
        return text.codePointCount(0, text.length()) * LABEL_CHAR_WIDTH + 6;
    }

    static double nodeWidth(String label) {
        return Math.max(48, label.codePointCount(0, label.length()) * CHAR_WIDTH + 20);
    }

    /** The text a peer's box shows: its id without the namespace its group already names. */
    static String shortLabel(GraphModel.Node n) {
        String prefix = n.namespace() + "/";
        return !n.namespace().isEmpty() && n.id().startsWith(prefix) ? n.id().substring(prefix.length()) : n.id();
    }

    static Laid layout(Drawing drawing) {
        return layout(drawing, new BasicProgressMonitor());
    }

    /** With a monitor of one's own: the benchmark times ELK's phases through it. */
    static Laid layout(Drawing drawing, org.eclipse.elk.core.util.IElkProgressMonitor monitor) {
        register();
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.HIERARCHY_HANDLING, HierarchyHandling.INCLUDE_CHILDREN);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
        root.setProperty(CoreOptions.RANDOM_SEED, 1);
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 18.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 40.0);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(16));
        // Crossing minimisation is most of ELK's time: full effort for a graph a person reads edge by edge,
        // the least for a large one (200 peers, 2,000 edges: about 1.3 s instead of 3 s of CPU).
        root.setProperty(LayeredOptions.THOROUGHNESS, drawing.lines().size() <= LARGE ? 7 : 1);
        // Edges of one source that run the same way share their bends: fewer dummy nodes, fewer crossings to weigh.
        root.setProperty(LayeredOptions.MERGE_EDGES, true);

        // Groups in sorted order (the nodes are sorted by id, the groups by label) so ELK sees one input order.
        Map<String, ElkNode> groups = new LinkedHashMap<>();
        List<String> groupLabels = drawing.nodes().stream().map(ReachLayout::groupOf).filter(g -> g != null).distinct()
                .sorted(Sorting.TEXT).toList();
        for (String g : groupLabels) {
            ElkNode box = ElkGraphUtil.createNode(root);
            box.setProperty(CoreOptions.PADDING, new ElkPadding(GROUP_LABEL_HEIGHT + 8, 12, 12, 12));
            box.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE); // each graph has its own, root's is not inherited
            box.setProperty(CoreOptions.NODE_SIZE_CONSTRAINTS, EnumSet.of(SizeConstraint.MINIMUM_SIZE));
            box.setProperty(CoreOptions.NODE_SIZE_MINIMUM, new KVector(nodeWidth(g.equals(EXTERNAL_GROUP) ? EXTERNAL_LABEL : g) + 8, GROUP_LABEL_HEIGHT + 8));
            groups.put(g, box);
        }
        Map<String, Integer> index = new HashMap<>();
        List<ElkNode> boxes = new ArrayList<>();
        for (GraphModel.Node n : drawing.nodes()) {
            String g = groupOf(n);
            ElkNode box = ElkGraphUtil.createNode(g == null ? root : groups.get(g));
            box.setDimensions(nodeWidth(shortLabel(n)), NODE_HEIGHT);
            index.put(n.id(), boxes.size());
            boxes.add(box);
        }
        List<ElkEdge> edges = new ArrayList<>();
        for (Drawing.Line l : drawing.lines()) {
            ElkNode s = boxes.get(index.get(l.src()));
            ElkNode t = boxes.get(index.get(l.dst()));
            ElkEdge e = ElkGraphUtil.createSimpleEdge(s, t);
            if (drawing.lines().size() <= LABELLED) {
                ElkLabel label = ElkGraphUtil.createLabel(l.label(), e);
                label.setDimensions(labelWidth(l.label()), LABEL_HEIGHT);
            }
            ElkGraphUtil.updateContainment(e);
            edges.add(e);
        }

        new RecursiveGraphLayoutEngine().layout(root, monitor);

        List<Group> laidGroups = new ArrayList<>();
        groups.forEach((key, box) -> laidGroups.add(key.equals(EXTERNAL_GROUP)
                ? new Group(EXTERNAL_LABEL, true, absolute(box))
                : new Group(key, false, absolute(box))));
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            peers.add(new Peer(drawing.nodes().get(i), absolute(boxes.get(i))));
        }
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            Drawing.Line l = drawing.lines().get(i);
            ElkEdge e = edges.get(i);
            // Edge coordinates are relative to the edge's containing node.
            Box origin = absolute(e.getContainingNode());
            List<Point> points = new ArrayList<>();
            if (!e.getSections().isEmpty()) {
                ElkEdgeSection s = e.getSections().get(0);
                points.add(new Point(origin.x() + s.getStartX(), origin.y() + s.getStartY()));
                for (ElkBendPoint b : s.getBendPoints()) {
                    points.add(new Point(origin.x() + b.getX(), origin.y() + b.getY()));
                }
                points.add(new Point(origin.x() + s.getEndX(), origin.y() + s.getEndY()));
            }
            Box label = null;
            if (!e.getLabels().isEmpty()) {
                ElkLabel lb = e.getLabels().get(0);
                label = new Box(origin.x() + lb.getX(), origin.y() + lb.getY(), lb.getWidth(), lb.getHeight());
            }
            paths.add(new Path(l, index.get(l.src()), index.get(l.dst()), List.copyOf(points), label));
        }
        return new Laid(root.getWidth(), root.getHeight(), List.copyOf(laidGroups), List.copyOf(peers), List.copyOf(paths));
    }

    /** The box a peer sits in: its namespace, the external box, or none (groups of the group view). */
    static String groupOf(GraphModel.Node n) {
        if (n.external()) {
            return EXTERNAL_GROUP;
        }
        return n.namespace().isEmpty() ? null : n.namespace();
    }

    private static Box absolute(ElkNode n) {
        double x = 0;
        double y = 0;
        for (ElkNode p = n; p != null; p = p.getParent()) {
            if (p.getParent() == null) {
                break; // the root's own position is the origin
            }
            x += p.getX();
            y += p.getY();
        }
        return new Box(x, y, n.getWidth(), n.getHeight());
    }
}
