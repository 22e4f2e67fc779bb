package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

/**
 * {@code idgate reach} end to end over the worked example of docs/reachability.md ({@code examples/reach}, and
 * {@code examples/reach-change}: the same with one indentation mistake), against golden files in
 * {@code src/test/resources/cli/golden/reach-*.out} ({@code -Dgolden.update=true} rewrites them). svg and
 * html are checked for structure only: their coordinates come from the layout library and would make
 * every upgrade of it a golden diff.
 */
class ReachGoldenTest {

    static final String BEFORE = "examples/reach";
    static final String AFTER = "examples/reach-change";

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String o : new String[] {"txt", "json", "csv", "md", "dot"}) {
            cases.add(Arguments.of("reach-list-" + o, new String[] {"reach", "list", BEFORE, "-o", o}));
            cases.add(Arguments.of("reach-diff-" + o, new String[] {"reach", "diff", BEFORE, AFTER, "-o", o}));
            cases.add(Arguments.of("reach-who-to-" + o, new String[] {"reach", "who", "--to", "payments/api", BEFORE, "-o", o}));
        }
        for (String o : new String[] {"txt", "json"}) {
            cases.add(Arguments.of("reach-explain-" + o, new String[] {"reach", "explain", "shop-frontend/checkout", "payments/api", BEFORE, "-o", o}));
            cases.add(Arguments.of("reach-list-identity-" + o, new String[] {"reach", "list", BEFORE, "--by", "identity", "-o", o}));
            cases.add(Arguments.of("reach-list-group-" + o, new String[] {"reach", "list", BEFORE, "--by", "group", "-o", o}));
            cases.add(Arguments.of("reach-list-spoofable-" + o, new String[] {"reach", "list", BEFORE, "--spoofable", "-o", o}));
            cases.add(Arguments.of("reach-who-from-" + o, new String[] {"reach", "who", "--from", "payments/api", BEFORE, "-o", o}));
        }
        // the edge the mistake opens, explained before and after it, on one port
        cases.add(Arguments.of("reach-explain-port-before", new String[] {"reach", "explain", "shop-frontend/storefront", "payments/api",
                "--port", "9090/TCP", BEFORE}));
        cases.add(Arguments.of("reach-explain-port-after", new String[] {"reach", "explain", "shop-frontend/storefront", "payments/api",
                "--port", "9090/TCP", AFTER}));
        // an external address: which ipBlock lets payments/api out
        cases.add(Arguments.of("reach-explain-to-an-address", new String[] {"reach", "explain", "payments/api", "203.0.113.10", BEFORE}));
        cases.add(Arguments.of("reach-list-focus-namespace", new String[] {"reach", "list", BEFORE, "--focus", "payments/*"}));
        cases.add(Arguments.of("reach-diff-identity", new String[] {"reach", "diff", BEFORE, AFTER, "--by", "identity"}));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGolden(String name, String[] args) throws IOException {
        CliRun run = CliRun.of(args);
        CliGoldenTest.golden(name, run);
        assertEquals(0, run.exit(), name + " exit code; stderr:\n" + run.err());
    }

    @Test
    void svgIsOneWellFormedDrawingWithEveryPeerAndEdge() throws Exception {
        CliRun run = CliRun.of("reach", "list", BEFORE, "-o", "svg");
        assertEquals(0, run.exit(), run.err());
        Document svg = xml(run.out());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        String text = svg.getDocumentElement().getTextContent();
        for (String line : CliRun.of("reach", "list", BEFORE).out().split("\n")) {
            String[] parts = line.split(" => | : ");
            assertTrue(text.contains(parts[0]) && text.contains(parts[1]), "peers of " + line);
        }
        assertEquals(13, count(run.out(), "<polyline"), "one line per edge");
        assertTrue(run.out().contains("TCP 9090 (spoofable)"), "the spoofable edge says so");
    }

    @Test
    void htmlIsOneSelfContainedPageWithTheGraphAndTheMatrix() {
        CliRun run = CliRun.of("reach", "list", BEFORE, "-o", "html");
        assertEquals(0, run.exit(), run.err());
        String html = run.out();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertTrue(html.contains("<svg") && html.contains("<table"), "graph and matrix");
        assertTrue(html.contains("Content-Security-Policy"), "the page forbids fetching");
        // nothing is fetched: the only URL is the SVG namespace
        Matcher urls = Pattern.compile("(?<![\\w-])(?:src|href)\\s*=|https?://(?!www\\.w3\\.org/2000/svg)").matcher(html);
        assertFalse(urls.find(), () -> "the page refers to " + html.substring(urls.start(), Math.min(html.length(), urls.start() + 80)));
        assertTrue(html.contains("spoofable"), "the spoofable cell is marked");
        for (String line : CliRun.of("reach", "list", BEFORE).out().split("\n")) {
            assertTrue(html.contains(line.split(" : ")[1].replace("=>", "=&gt;")), line);
        }
    }

    @Test
    void theDiffPageMarksTheAddedEdge() {
        CliRun run = CliRun.of("reach", "diff", BEFORE, AFTER, "-o", "html");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("added"), "added cells are marked");
        CliRun svg = CliRun.of("reach", "diff", BEFORE, AFTER, "-o", "svg");
        assertEquals(0, svg.exit(), svg.err());
        assertTrue(svg.out().contains("+ TCP 9090"), svg.out());
    }

    private static Document xml(String text) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
