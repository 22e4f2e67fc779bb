package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The reach documentation cannot drift: every fenced block of docs/reachability.md and of the README's
 * section "Who can reach whom" that starts with {@code $ bin/idgate reach ...} shows exactly what that
 * command prints now (stdout, then stderr, as a terminal shows them), every other
 * {@code bin/idgate reach} command they show runs, and the YAML fragment of the indentation mistake is
 * what the example files hold.
 */
class ReachReadmeTest {

    /** The whole reachability page. */
    private static final Path DOC = Path.of("docs/reachability.md");

    /** The README's summary of it. */
    private static final String README_HEADING = "## Who can reach whom";

    /** A fenced block: its info string and its lines. */
    record Block(String info, List<String> lines) {}

    static String readmeSection() throws IOException {
        return readmeSection(README_HEADING);
    }

    /** The README's section under {@code heading} ({@code ## ...}), up to the next one. */
    static String readmeSection(String heading) throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has the section " + heading);
        int end = readme.indexOf("\n## ", start + heading.length());
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<Block> blocks() throws IOException {
        return blocks(Files.readString(DOC));
    }

    static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        List<String> current = null;
        String info = null;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                if (current == null) {
                    current = new ArrayList<>();
                    info = line.substring(3).trim();
                } else {
                    blocks.add(new Block(info, current));
                    current = null;
                }
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    @TestFactory
    Stream<DynamicTest> everyShownOutputIsWhatTheCommandPrintsNow() throws IOException {
        List<DynamicTest> tests = outputTests(DOC.toString(), blocks());
        assertTrue(tests.size() >= 8, "the page shows list, identity, group, spoofable, explain, who, diff and an error: " + tests.size());
        List<DynamicTest> readme = outputTests("README", blocks(readmeSection()));
        assertTrue(readme.size() >= 1, "the README's summary shows a reach command and its output");
        tests.addAll(readme);
        return tests.stream();
    }

    private static List<DynamicTest> outputTests(String where, List<Block> blocks) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Block b : blocks) {
            if (b.lines().isEmpty() || !b.lines().get(0).startsWith("$ bin/idgate reach ")) {
                continue;
            }
            String command = b.lines().get(0).substring("$ bin/idgate ".length());
            String shown = String.join("\n", b.lines().subList(1, b.lines().size())) + "\n";
            tests.add(dynamicTest(where + ": " + command, () -> {
                CliRun run = CliRun.of(words(command));
                assertEquals(shown, run.out() + run.err(), where + " block `" + command + "` (paste the command's output there)");
            }));
        }
        return tests;
    }

    @Test
    void everyOtherReachCommandItShowsRuns() throws IOException {
        int ran = 0;
        for (Block b : blocks()) {
            if (!b.info().equals("bash")) {
                continue;
            }
            for (String line : b.lines()) {
                if (line.startsWith("bin/idgate reach ")) {
                    String command = line.substring("bin/idgate ".length()).replaceFirst("\\s*>.*$", "");
                    CliRun run = CliRun.of(words(command));
                    assertEquals(0, run.exit(), command + ": " + run.err());
                    ran++;
                }
            }
        }
        assertTrue(ran >= 1, "the html example runs");
    }

    @Test
    void theIndentationMistakeShownIsTheOneInTheExamples() throws IOException {
        Block yaml = blocks().stream().filter(b -> b.info().equals("yaml") && b.lines().get(0).startsWith("# examples/reach:")).findFirst()
                .orElseThrow(() -> new AssertionError(DOC + " shows the before/after fragment"));
        String file = null;
        StringBuilder fragment = new StringBuilder();
        List<String[]> fragments = new ArrayList<>();
        for (String line : yaml.lines()) {
            if (line.startsWith("# ")) {
                if (file != null) {
                    fragments.add(new String[] {file, fragment.toString()});
                }
                file = line.substring(2, line.indexOf(':'));
                fragment.setLength(0);
            } else if (!line.isBlank()) {
                fragment.append(line).append('\n');
            }
        }
        fragments.add(new String[] {file, fragment.toString()});
        assertEquals(2, fragments.size());
        for (String[] f : fragments) {
            assertTrue(Files.readString(Path.of(f[0], "networkpolicies.yaml")).contains(f[1]), f[0] + " holds\n" + f[1]);
        }
    }

    /** Splits a shell command line on spaces, honouring single quotes (enough for what the docs show). */
    static String[] words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : command.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words.toArray(String[]::new);
    }
}
