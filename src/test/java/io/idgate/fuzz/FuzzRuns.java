package io.idgate.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Counts a fuzz target's executions and, after a fuzzing run, writes them to
 * {@code target/fuzz/stats/<target>.properties} for the summary of {@code make fuzz}
 * ({@code fuzz/report.sh}). One fuzz target fuzzes per JVM, so a static count is the target's.
 */
public final class FuzzRuns implements AfterAllCallback {

    static final Path STATS = Path.of("target", "fuzz", "stats");

    private static final AtomicLong EXECUTIONS = new AtomicLong();
    private static volatile long firstNanos;
    private static volatile long lastNanos;

    /** Called first thing by every fuzz target. */
    static void count() {
        long now = System.nanoTime();
        if (EXECUTIONS.getAndIncrement() == 0) {
            firstNanos = now;
        }
        lastNanos = now;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String mode = System.getenv("JAZZER_FUZZ");
        if (mode == null || !(mode.equals("1") || mode.equalsIgnoreCase("true"))) {
            return; // regression runs replay the seeds only: nothing to report
        }
        String target = context.getRequiredTestClass().getSimpleName();
        String stats = "target=" + target + "\nexecutions=" + EXECUTIONS.get()
                + "\nseconds=" + Math.round((lastNanos - firstNanos) / 1e9) + "\n";
        try {
            Files.createDirectories(STATS);
            Files.writeString(STATS.resolve(target + ".properties"), stats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
