package io.idgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Fixture suites of one folder per case, named as a sentence: each folder is a dynamic test, and
 * each expectation a file compared with what the code says. {@code -Dfixtures.update=true} rewrites
 * the expectations (read the diff before committing); a missing one is written and the test fails once.
 */
public final class FixtureFolders {

    private FixtureFolders() {}

    /** One dynamic test per folder below {@code root}, in name order, named by the folder. */
    public static Stream<DynamicTest> each(Path root, ThrowingConsumer<Path> run) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> run.accept(d)))
                    .toList().stream();
        }
    }

    /** {@code file} holds {@code actual}, or is (re)written with it. */
    public static void expect(Path file, String actual) {
        try {
            if (Boolean.getBoolean("fixtures.update") || !Files.exists(file)) {
                Files.writeString(file, actual);
                if (!Boolean.getBoolean("fixtures.update")) {
                    throw new AssertionError("wrote missing " + file + "; review it and run again");
                }
                return;
            }
            assertEquals(Files.readString(file), actual, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
