package io.idgate.render.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReachHtmlTest {

    private static final Pattern URL = Pattern.compile("https?://[^\"'\\s<>)]*");

    static Stream<Arguments> pages() {
        return Stream.of(
                Arguments.of("the page of a list", ReachHtml.list(ReachSamples.small())),
                Arguments.of("the page of a diff", ReachHtml.diff(ReachSamples.smallDiff())),
                Arguments.of("the page of a large list", ReachHtml.list(ReachSamples.scale(60, 400, 6, 1))));
    }

    @ParameterizedTest(name = "{0} names no URL but the SVG namespace")
    @MethodSource("pages")
    void needsNoNetwork(String name, String html) {
        Matcher m = URL.matcher(html);
        while (m.find()) {
            assertEquals(ReachSvg.SVG_NS, m.group(), "an external reference");
        }
        assertFalse(html.contains(" src=") || html.contains("<link") || html.contains("@import") || html.contains("url(http"));
        assertTrue(html.contains("default-src 'none'"), "the page forbids itself any fetch");
    }

    @ParameterizedTest(name = "{0} has the graph, the matrix and the warnings section")
    @MethodSource("pages")
    void hasGraphAndMatrix(String name, String html) {
        assertTrue(html.startsWith("<!DOCTYPE html>\n"));
        assertTrue(html.contains("<svg xmlns=\"" + ReachSvg.SVG_NS + "\""));
        assertTrue(html.contains("<table class=\"matrix\">"));
        assertTrue(html.contains("<section id=\"warnings\">"));
        assertTrue(html.endsWith("</html>\n"));
    }

    @Test
    void theMatrixHasARowAndAColumnPerPeerAndACellPerEdge() {
        String html = ReachHtml.list(ReachSamples.small());
        String matrix = html.substring(html.indexOf("<table class=\"matrix\">"));
        assertEquals(6, count(matrix, "<th data-i="), "columns");
        assertEquals(6, count(matrix, "<tr data-i="), "rows");
        assertEquals(36, count(matrix, "<td "), "cells");
        assertEquals(5, count(matrix, "<td data-i=\"\\d+\" class=\"[^\"]*\" title="), "filled cells");
        assertTrue(matrix.contains("class=\"spoofable\" title=\"shop/web[Deployment] =&gt; payments/api[Deployment] (spoofable)\">"
                + "TCP 80,8080-8090,UDP 53 ⚠</td>"), "a spoofable cell is marked");
        assertTrue(matrix.contains("title=\"payments/api[Deployment] =&gt; payments/db[StatefulSet]\">TCP 5432</td>"),
                "a cell that pins identity is not");
    }

    @Test
    void theDiffMatrixShowsEachChange() {
        String html = ReachHtml.diff(ReachSamples.smallDiff());
        assertTrue(html.contains("<p class=\"summary\">1 added, 1 removed, 1 changed</p>"));
        assertTrue(html.contains("class=\"changed spoofable\""));
        assertTrue(html.contains(">TCP 80 -&gt; TCP 80,443 ⚠</td>"));
        assertTrue(html.contains("class=\"added\""));
        assertTrue(html.contains(">+ All Connections</td>"));
    }

    @Test
    void namesAndWarningsAreEscaped() {
        String html = ReachHtml.list(ReachSamples.small());
        assertFalse(html.contains("<script>[Deployment]"), "a name cannot open a script");
        assertFalse(html.contains("we<ird>"));
        assertTrue(html.contains("we&lt;ird&gt;&amp;&quot;ns&#39;"), "the namespace is shown, escaped");
        assertTrue(html.contains("<li>a &lt;b&gt; &amp; &quot;c&quot;</li>"));
        assertEquals(1, count(html, "<script>"), "the one script is the page's own");
    }

    @Test
    void thePageWithoutWarningsSaysNone() {
        String html = ReachHtml.list(new GraphModel(List.of(), List.of(new GraphModel.Edge("a", "b", "TCP 1", false)), List.of(), "group"));
        assertTrue(html.contains("<h2>Warnings</h2>\n<p>None.</p>"));
        assertTrue(html.contains("<title>idgate reach: group view</title>"));
    }

    @ParameterizedTest(name = "{0}: the hashes a page embedding it allows are those of its inline style and script")
    @MethodSource("pages")
    void inlineSourcesHashWhatIsWritten(String name, String html) throws Exception {
        List<String> written = List.of(between(html, "<style>", "</style>"), between(html, "<script>", "</script>"));
        var sha = java.security.MessageDigest.getInstance("SHA-256");
        List<String> hashes = written.stream()
                .map(t -> "'sha256-" + java.util.Base64.getEncoder().encodeToString(sha.digest(t.getBytes(StandardCharsets.UTF_8))) + "'")
                .toList();
        assertEquals(hashes, List.of(ReachHtml.inlineStyleSource(), ReachHtml.inlineScriptSource()));
    }

    private static String between(String text, String open, String close) {
        int from = text.indexOf(open) + open.length();
        assertEquals(from - open.length(), text.lastIndexOf(open), "one " + open);
        return text.substring(from, text.indexOf(close, from));
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            try {
                Process p = new ProcessBuilder(name, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return name;
                }
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        return null;
    }

    /** A real browser loads the file offline (skipped where Debian's chromium package is not installed). */
    @Test
    void aBrowserRendersTheGraphAndTheMatrix(@TempDir Path dir) throws Exception {
        String browser = chromium();
        assumeTrue(browser != null, "chromium (Debian package chromium) is not installed");
        Path page = dir.resolve("reach.html");
        Files.writeString(page, ReachHtml.list(ReachSamples.small()), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--user-data-dir=" + dir.resolve("profile"), "--dump-dom", page.toUri().toString())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        assertTrue(dom.contains("class=\"reach-graph\""), dom.length() > 500 ? dom.substring(0, 500) : dom);
        assertTrue(dom.contains("<table class=\"matrix\">"));
        assertTrue(dom.contains("payments/api[Deployment]"));
        assertTrue(dom.contains("<option value=\"payments\">payments</option>"), "the namespace filter is there");
    }
}
