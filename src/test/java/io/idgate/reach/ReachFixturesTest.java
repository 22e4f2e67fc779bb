package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.idgate.testing.FixtureFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Fixture suites under {@code src/test/resources/fixtures/reach/<sentence>/}: a list case holds YAML
 * files and {@code expected.txt} (the {@code reach list} text); a diff case holds {@code before/},
 * {@code after/} and {@code expected-diff.txt}; a bad-input case holds YAML and
 * {@code expected-problems.txt}. {@code -Dfixtures.update=true} rewrites the expectations from what
 * the engine says; read the diff before committing.
 */
class ReachFixturesTest {

    static final Path ROOT = Path.of("src/test/resources/fixtures/reach");

    @TestFactory
    Stream<DynamicTest> fixtures() throws IOException {
        return FixtureFolders.each(ROOT, ReachFixturesTest::run);
    }

    private static void run(Path dir) {
        if (Files.isDirectory(dir.resolve("before"))) {
            ReachGraph before = graph(dir.resolve("before"));
            ReachGraph after = graph(dir.resolve("after"));
            FixtureFolders.expect(dir.resolve("expected-diff.txt"), ReachText.diff(ReachDiff.of(before, after)));
            return;
        }
        WorldBuilder b = Worlds.builder(dir);
        World w = b.build();
        if (Files.exists(dir.resolve("expected-problems.txt")) || !b.problems().isEmpty()) {
            FixtureFolders.expect(dir.resolve("expected-problems.txt"), b.problems().stream().map(p -> p + "\n").collect(Collectors.joining()));
            return;
        }
        FixtureFolders.expect(dir.resolve("expected.txt"), ReachText.list(Reachability.of(w, Worlds.KEYS).graph()));
    }

    private static ReachGraph graph(Path dir) {
        WorldBuilder b = Worlds.builder(dir);
        World w = b.build();
        assertEquals(List.of(), b.problems(), dir.toString());
        return Reachability.of(w, Worlds.KEYS).graph();
    }
}
