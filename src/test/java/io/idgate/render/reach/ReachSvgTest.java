package io.idgate.render.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReachSvgTest {

    /** Half a stroke and rounding to a tenth: how far an edge's end may sit from the border it touches. */
    private static final double NEAR = 1.5;

    record Box(double x, double y, double w, double h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }

        boolean contains(Box o) {
            return o.x >= x && o.y >= y && o.x + o.w <= x + w && o.y + o.h <= y + h;
        }

        boolean onBorder(double px, double py) {
            boolean inX = px >= x - NEAR && px <= x + w + NEAR;
            boolean inY = py >= y - NEAR && py <= y + h + NEAR;
            boolean vertical = Math.abs(px - x) <= NEAR || Math.abs(px - x - w) <= NEAR;
            boolean horizontal = Math.abs(py - y) <= NEAR || Math.abs(py - y - h) <= NEAR;
            return (vertical && inY) || (horizontal && inX);
        }
    }

    record Parsed(Document doc, Map<String, Box> peers, List<String> order, Map<String, Box> groups, Map<String, String> groupOf) {
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static Box box(Element rect) {
        return new Box(Double.parseDouble(rect.getAttribute("x")), Double.parseDouble(rect.getAttribute("y")),
                Double.parseDouble(rect.getAttribute("width")), Double.parseDouble(rect.getAttribute("height")));
    }

    static List<Element> groupsOfClass(Document doc, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList gs = doc.getElementsByTagNameNS(ReachSvg.SVG_NS, "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (List.of(g.getAttribute("class").split(" ")).contains(cls)) {
                out.add(g);
            }
        }
        return out;
    }

    static Element child(Element e, String tag) {
        return (Element) e.getElementsByTagNameNS(ReachSvg.SVG_NS, tag).item(0);
    }

    static Parsed parsed(String svg) throws Exception {
        Document doc = parse(svg);
        Map<String, Box> peers = new HashMap<>();
        List<String> order = new ArrayList<>();
        Map<String, String> groupOf = new HashMap<>();
        for (Element n : groupsOfClass(doc, "node")) {
            String id = child(n, "title").getTextContent();
            peers.put(id, box(child(n, "rect")));
            order.add(id);
            groupOf.put(id, n.getAttribute("data-ns"));
        }
        Map<String, Box> groups = new HashMap<>();
        for (Element g : groupsOfClass(doc, "group")) {
            groups.put(g.getAttribute("data-ns"), box(child(g, "rect")));
        }
        return new Parsed(doc, peers, order, groups, groupOf);
    }

    static Stream<Arguments> drawings() {
        return Stream.of(
                Arguments.of("a small list with every kind of peer and names that need escaping", ReachSvg.list(ReachSamples.small()),
                        Drawing.of(ReachSamples.small())),
                Arguments.of("a diff", ReachSvg.diff(ReachSamples.smallDiff()), Drawing.of(ReachSamples.smallDiff())),
                Arguments.of("a list of 40 peers and 120 edges", ReachSvg.list(ReachSamples.scale(40, 120, 5, 5)),
                        Drawing.of(ReachSamples.scale(40, 120, 5, 5))),
                Arguments.of("a list laid out for speed (over the large-graph threshold)",
                        ReachSvg.list(ReachSamples.scale(60, ReachLayout.LARGE + 20, 4, 9)),
                        Drawing.of(ReachSamples.scale(60, ReachLayout.LARGE + 20, 4, 9))));
    }

    @ParameterizedTest(name = "{0}: is well-formed XML and shows every peer once")
    @MethodSource("drawings")
    void everyPeerAppears(String name, String svg, Drawing d) throws Exception {
        Parsed p = parsed(svg);
        Set<String> expected = d.nodes().stream().map(n -> ReachSvg.xml(n.id())).map(ReachSvgTest::unescape)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, new TreeSet<>(p.order()));
        assertEquals(d.nodes().size(), p.order().size());
        assertEquals(d.lines().size(), groupsOfClass(p.doc(), "edge").size());
        assertNotNull(child(groupsOfClass(p.doc(), "legend").get(0), "text"));
    }

    /** What a parser makes of an escaped string (the SVG swaps forbidden characters for U+FFFD). */
    static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    @ParameterizedTest(name = "{0}: no two peer boxes overlap and each sits in its namespace box")
    @MethodSource("drawings")
    void boxesDoNotOverlap(String name, String svg, Drawing d) throws Exception {
        Parsed p = parsed(svg);
        List<String> ids = p.order();
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                assertFalse(p.peers().get(ids.get(i)).overlaps(p.peers().get(ids.get(j))), ids.get(i) + " overlaps " + ids.get(j));
            }
            String ns = p.groupOf().get(ids.get(i));
            if (!ns.isEmpty()) {
                assertTrue(p.groups().get(ns).contains(p.peers().get(ids.get(i))), ids.get(i) + " outside the box of " + ns);
            }
        }
        List<Box> groups = new ArrayList<>(p.groups().values());
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                assertFalse(groups.get(i).overlaps(groups.get(j)), "namespace boxes overlap");
            }
        }
    }

    @ParameterizedTest(name = "{0}: every edge starts on its source's border and ends on its target's")
    @MethodSource("drawings")
    void edgesEndAtBorders(String name, String svg, Drawing d) throws Exception {
        Parsed p = parsed(svg);
        List<Element> edges = groupsOfClass(p.doc(), "edge");
        for (Element e : edges) {
            Box src = p.peers().get(p.order().get(Integer.parseInt(e.getAttribute("data-src"))));
            Box dst = p.peers().get(p.order().get(Integer.parseInt(e.getAttribute("data-dst"))));
            String[] points = child(e, "polyline").getAttribute("points").split(" ");
            assertTrue(points.length >= 2, "an edge has two ends");
            String[] first = points[0].split(",");
            String[] last = points[points.length - 1].split(",");
            assertTrue(src.onBorder(Double.parseDouble(first[0]), Double.parseDouble(first[1])),
                    child(e, "title").getTextContent() + " starts at " + points[0] + " off " + src);
            assertTrue(dst.onBorder(Double.parseDouble(last[0]), Double.parseDouble(last[1])),
                    child(e, "title").getTextContent() + " ends at " + points[points.length - 1] + " off " + dst);
        }
    }

    static Stream<Arguments> edgeStyles() {
        return Stream.of(
                Arguments.of("a spoofable edge is dashed and red", "shop/web[Deployment] => payments/api[Deployment]", "#d32f2f", true),
                Arguments.of("an edge that pins identity is solid and dark", "payments/api[Deployment] => payments/db[StatefulSet]",
                        "#37474f", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeStyles")
    void spoofableStyle(String name, String pair, String color, boolean dashed) throws Exception {
        Document doc = parse(ReachSvg.list(ReachSamples.small()));
        Element edge = groupsOfClass(doc, "edge").stream().filter(e -> child(e, "title").getTextContent().startsWith(pair)).findFirst()
                .orElseThrow();
        Element line = child(edge, "polyline");
        assertEquals(color, line.getAttribute("stroke"));
        assertEquals(dashed, line.hasAttribute("stroke-dasharray"));
        assertEquals(dashed, edge.getAttribute("class").contains("spoofable"));
        assertEquals(dashed, child(edge, "title").getTextContent().endsWith("(spoofable)"));
    }

    static Stream<Arguments> escaping() {
        return Stream.of(
                Arguments.of("markup, quotes and ampersands become entities", "a<b>&\"'", "a&lt;b&gt;&amp;&quot;&#39;"),
                Arguments.of("a plain name is unchanged", "payments/api[Deployment]", "payments/api[Deployment]"),
                Arguments.of("characters XML forbids become U+FFFD", "a\u0001b\uFFFEc\uD800", "a\uFFFDb\uFFFDc\uFFFD"),
                Arguments.of("a character outside the BMP is kept whole", "a\uD83D\uDE00", "a\uD83D\uDE00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escaping")
    void escapesXml(String name, String text, String escaped) {
        assertEquals(escaped, ReachSvg.xml(text));
    }

    static Stream<Arguments> labels() {
        return Stream.of(
                Arguments.of("a graph of up to " + ReachLayout.LABELLED + " edges shows every edge's connections", 20, 60, 60),
                Arguments.of("a larger graph keeps the connections in tooltips only", 30, ReachLayout.LABELLED + 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labels")
    void edgeLabels(String name, int nodes, int edges, int labels) throws Exception {
        Document doc = parse(ReachSvg.list(ReachSamples.scale(nodes, edges, 3, 4)));
        int found = 0;
        for (Element e : groupsOfClass(doc, "edge")) {
            NodeList texts = e.getElementsByTagNameNS(ReachSvg.SVG_NS, "text");
            if (texts.getLength() > 0) {
                String title = child(e, "title").getTextContent();
                assertTrue(title.contains(" : " + texts.item(0).getTextContent()), title);
                found++;
            }
        }
        assertEquals(labels, found);
    }

    @org.junit.jupiter.api.Test
    void aNameWithAScriptTagIsTextNotMarkup() throws Exception {
        String svg = ReachSvg.list(ReachSamples.small());
        assertFalse(svg.contains("<script"), "no element comes from a name");
        Document doc = parse(svg);
        assertEquals(0, doc.getElementsByTagNameNS(ReachSvg.SVG_NS, "script").getLength());
    }
}
