package io.idgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bench/profile/partition.py, which the benchmark docs quote: each case folder holds a collapsed
 * profile (with its review count) and the table the script must print for it.
 */
class ProfilePartitionTest {

    private static final Path CASES = Path.of("src/test/resources/profile-partition");

    static Stream<Path> cases() throws Exception {
        try (Stream<Path> dirs = Files.list(CASES)) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsTheExpectedParts(Path dir) throws Exception {
        assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 runs the profile scripts");
        Process p = new ProcessBuilder(List.of("python3", "bench/profile/partition.py", dir.resolve("profile.collapsed").toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(Files.readString(dir.resolve("expected.md")), out.replace(dir + "/", ""));
    }
}
