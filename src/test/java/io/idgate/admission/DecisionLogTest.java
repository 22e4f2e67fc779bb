package io.idgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decision log: which logging settings let decisions take the batching console writer, and that it writes every line, in order. */
class DecisionLogTest {

    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n";

    /** What idgate ships (application.properties, with Quarkus's console defaults). */
    private static Map<String, String> shipped() {
        Map<String, String> s = new HashMap<>();
        s.put("quarkus.log.console.async.enabled", "true");
        s.put("quarkus.log.console.format", PATTERN);
        s.put("quarkus.log.category.\"io.idgate.decision\".level", "INFO");
        return s;
    }

    private static Optional<String> pattern(Map<String, String> settings) {
        return DecisionLog.consolePattern(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void theShippedSettingsTakeTheConsoleWriterWithTheConsolesPattern() {
        assertEquals(Optional.of(PATTERN), pattern(shipped()));
        Map<String, String> s = shipped();
        s.put("quarkus.log.console.level", "DEBUG");
        s.put("quarkus.log.file.enable", "false");
        assertEquals(Optional.of(PATTERN), pattern(s), "settings that change nothing for decisions");
    }

    @ParameterizedTest(name = "{0}={1}: through logging")
    @CsvSource({
        "quarkus.log.console.async.enabled, false",
        "quarkus.log.console.enable, false",
        "quarkus.log.console.stderr, true",
        "quarkus.log.console.json, true",
        "quarkus.log.file.enable, true",
        "quarkus.log.file.enabled, true",
        "quarkus.log.syslog.enable, true",
        "quarkus.log.socket.enable, true",
        "quarkus.log.handlers, audit",
        "quarkus.log.category.\"io.idgate.decision\".handlers, decisions-file",
        "quarkus.log.category.\"io.idgate.decision\".use-parent-handlers, false",
        "quarkus.log.console.level, WARN",
        "quarkus.log.console.format, ''",
    })
    void anyOtherSetupSendsDecisionsThroughLogging(String key, String value) {
        Map<String, String> s = shipped();
        s.put(key, value);
        assertEquals(Optional.empty(), pattern(s));
    }

    @Test
    void withoutAKnownConsolePatternDecisionsGoThroughLogging() {
        Map<String, String> s = shipped();
        s.remove("quarkus.log.console.format");
        assertEquals(Optional.empty(), pattern(s));
    }

    /** Each line as the console's formatter writes a record of the category at INFO from the calling thread. */
    @Test
    void aLineIsFormattedAsTheConsoleFormatsARecordOfTheCategory() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PatternFormatter formatter = new PatternFormatter("%-5p [%c] (%t) %s%n");
        try (var log = DecisionLog.console(formatter, out)) {
            log.write("webhook=mutate-pods decision=patched");
        }
        ExtLogRecord expected = new ExtLogRecord(Level.INFO, "webhook=mutate-pods decision=patched", ExtLogRecord.FormatStyle.NO_FORMAT, "x");
        expected.setLoggerName(DecisionLog.CATEGORY);
        assertEquals(formatter.format(expected), out.toString(StandardCharsets.UTF_8));
        assertEquals("INFO  [io.idgate.decision] (" + Thread.currentThread().getName() + ") webhook=mutate-pods decision=patched\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLineOverTheLongestKeptIsCutSayingSo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var log = DecisionLog.console(new PatternFormatter("%s%n"), out)) {
            log.write("uid=" + "x".repeat(DecisionLog.Console.MAX_LINE + 10));
        }
        String line = out.toString(StandardCharsets.UTF_8);
        assertEquals("uid=" + "x".repeat(DecisionLog.Console.MAX_LINE - 4) + "… (14 more characters)\n", line);
    }

    /**
     * Four threads write 5,000 lines each through an output that is slow at first (the queue fills and
     * callers wait): every line is written once, each thread's in its order, and none is split.
     */
    @Test
    void everyLineIsWrittenOnceInOrderEvenWhenTheQueueFills() throws Exception {
        CountDownLatch slow = new CountDownLatch(1);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        List<Integer> writeSizes = new ArrayList<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                try {
                    slow.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                writeSizes.add(len);
                sink.write(b, off, len);
            }
        };
        int threads = 4;
        int lines = 5000;
        try (var log = DecisionLog.console(new PatternFormatter("%s%n"), out)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    for (int i = 0; i < lines; i++) {
                        log.write("t" + id + " " + i);
                    }
                });
                writers.add(w);
                w.start();
            }
            Thread.sleep(200); // 20,000 lines against a queue of 1,024: writers wait
            slow.countDown();
            for (Thread w : writers) {
                w.join(30_000);
            }
        }
        String[] written = sink.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(threads * lines, written.length);
        int[] next = new int[threads];
        for (String line : written) {
            String[] parts = line.split(" ");
            int t = Integer.parseInt(parts[0].substring(1));
            assertEquals(next[t]++, Integer.parseInt(parts[1]), "thread " + t + "'s lines in order");
        }
        assertTrue(writeSizes.stream().allMatch(n -> n <= 4096), "no write over a pipe's atomic size");
        assertTrue(writeSizes.size() < threads * lines / 10, "batched: " + writeSizes.size() + " writes for " + threads * lines + " lines");
    }
}
