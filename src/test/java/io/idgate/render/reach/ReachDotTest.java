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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReachDotTest {

    static Stream<Arguments> quoting() {
        return Stream.of(
                Arguments.of("a plain id is only quoted", "payments/api[Deployment]", "\"payments/api[Deployment]\""),
                Arguments.of("a quote is escaped so it cannot end the string", "a\"b", "\"a\\\"b\""),
                Arguments.of("a backslash is escaped so it cannot start a Graphviz escape", "a\\Nb", "\"a\\\\Nb\""),
                Arguments.of("a line end becomes \\n and a control character is dropped", "a\nb\u0001\r", "\"a\\nb\""),
                Arguments.of("markup needs no escaping in a quoted string", "<b>&", "\"<b>&\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quoting")
    void quotesStrings(String name, String text, String quoted) {
        assertEquals(quoted, ReachDot.quote(text));
    }

    @Test
    void namespacesAreClustersAndExternalsAreApart() {
        String dot = ReachDot.list(ReachSamples.small());
        assertTrue(dot.startsWith("digraph \"reach\" {\n"), dot);
        assertTrue(dot.endsWith("}\n"));
        assertEquals(4, dot.split("subgraph cluster_", -1).length - 1, "payments, shop, the nasty namespace, outside");
        int outside = dot.indexOf("label=\"outside the cluster\"");
        int range = dot.indexOf("\"0.0.0.0-9.255.255.255[External]\" [label=");
        assertTrue(outside > 0 && range > outside, dot);
        int payments = dot.indexOf("label=\"payments\"");
        assertTrue(dot.indexOf("\"payments/api[Deployment]\" [label=\"api[Deployment]\"]") > payments, dot);
    }

    @Test
    void spoofableEdgesAreDashedAndRedAndOthersAreNot() {
        String dot = ReachDot.list(ReachSamples.small());
        String spoofable = line(dot, "\"shop/web[Deployment]\" -> \"payments/api[Deployment]\"");
        assertTrue(spoofable.contains("label=\"TCP 80,8080-8090,UDP 53\""), spoofable);
        assertTrue(spoofable.contains("style=dashed") && spoofable.contains("color=red"), spoofable);
        String plain = line(dot, "\"payments/api[Deployment]\" -> \"payments/db[StatefulSet]\"");
        assertFalse(plain.contains("dashed") || plain.contains("red"), plain);
    }

    @Test
    void aDiffColoursTheChangeAndDashesTheSpoofable() {
        String dot = ReachDot.diff(ReachSamples.smallDiff());
        String changed = line(dot, "\"shop/web[Deployment]\" -> \"payments/api[Deployment]\"");
        assertTrue(changed.contains("label=\"TCP 80 -> TCP 80,443\"") && changed.contains("#1565c0") && changed.contains("dashed"), changed);
        String added = line(dot, "\"payments/api[Deployment]\" -> \"0.0.0.0-9.255.255.255[External]\"");
        assertTrue(added.contains("label=\"+ All Connections\"") && added.contains("#2e7d32") && !added.contains("dashed"), added);
    }

    private static String line(String dot, String prefix) {
        return dot.lines().filter(l -> l.strip().startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix + "\n" + dot));
    }

    static boolean hasDot() {
        try {
            Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Graphviz itself reads the output (skipped where Debian's graphviz package is not installed). */
    @Test
    void graphvizAcceptsTheListAndTheDiffWithNastyNames(@TempDir Path dir) throws Exception {
        assumeTrue(hasDot(), "dot (Debian package graphviz) is not installed");
        for (String text : List.of(ReachDot.list(ReachSamples.small()), ReachDot.diff(ReachSamples.smallDiff()))) {
            Path in = dir.resolve("g.dot");
            Files.writeString(in, text, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder("dot", "-Tsvg", in.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertFalse(out.contains("Warning") || out.contains("Error"), out);
            assertTrue(out.contains("shop/web[Deployment]"), "the ids survive as node titles");
        }
    }
}
