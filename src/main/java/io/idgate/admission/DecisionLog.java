package io.idgate.admission;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Formatter;
import java.util.logging.Level;
import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Where the one line per decision goes: category {@code io.idgate.decision}, as docs/reference.md says.
 *
 * <p>{@link #THROUGH_LOGGING} hands each line to the logging system. Under the shipped logging setup
 * (the console only, asynchronous, plain text) that cost a wake-up of the logging thread and a write
 * and flush per line: a sixth of a review's CPU (docs/benchmarks.md, "Where a review's CPU goes").
 * {@link #console} writes the same lines, formatted by the console's own pattern, from a thread of its
 * own that takes them in batches: the event loop only queues the record, and the thread writes
 * whatever has queued in one call. Lines keep their order, and none is dropped: a full queue makes
 * the caller wait, as the asynchronous console does.
 */
public interface DecisionLog {

    String CATEGORY = "io.idgate.decision";

    /** False when the category's level hides decisions: the line is then not even built. */
    boolean enabled();

    void write(String line);

    /** Each line through the logging system, like any other log line. */
    DecisionLog THROUGH_LOGGING = new DecisionLog() {
        private final Logger logger = Logger.getLogger(CATEGORY);

        @Override
        public boolean enabled() {
            return logger.isInfoEnabled();
        }

        @Override
        public void write(String line) {
            logger.info(line);
        }
    };

    /**
     * The console's pattern when the logging settings are those idgate ships (see the class comment)
     * and decisions may take the batching writer: the console the only handler, asynchronous, plain text
     * to standard output at INFO or finer, and nothing configured for the category itself. Empty for
     * any other setup: decisions then go through logging, so every handler and filter sees them.
     */
    static java.util.Optional<String> consolePattern(java.util.function.Function<String, java.util.Optional<String>> setting) {
        java.util.function.Predicate<String> on = key -> setting.apply(key).map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
        java.util.function.Predicate<String> off = key -> !on.test(key);
        String category = "quarkus.log.category.\"" + CATEGORY + "\".";
        boolean shipped = setting.apply("quarkus.log.console.enable").or(() -> setting.apply("quarkus.log.console.enabled"))
                        .map(v -> v.trim().equalsIgnoreCase("true")).orElse(true)
                && on.test("quarkus.log.console.async.enabled")
                && off.test("quarkus.log.console.stderr")
                && off.test("quarkus.log.console.json") && off.test("quarkus.log.console.json.enabled")
                && off.test("quarkus.log.file.enable") && off.test("quarkus.log.file.enabled")
                && off.test("quarkus.log.syslog.enable") && off.test("quarkus.log.syslog.enabled")
                && off.test("quarkus.log.socket.enable") && off.test("quarkus.log.socket.enabled")
                && setting.apply("quarkus.log.handlers").isEmpty()
                && setting.apply(category + "handlers").isEmpty()
                && setting.apply(category + "use-parent-handlers").map(v -> v.trim().equalsIgnoreCase("true")).orElse(true)
                && setting.apply("quarkus.log.console.level").map(DecisionLog::showsInfo).orElse(true);
        return shipped ? setting.apply("quarkus.log.console.format").filter(f -> !f.isBlank()) : java.util.Optional.empty();
    }

    private static boolean showsInfo(String level) {
        try {
            return org.jboss.logmanager.Level.parse(level.trim()).intValue() <= Level.INFO.intValue();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Lines formatted by {@code formatter} (the console's pattern) and written to {@code out} in
     * batches by a thread of their own; {@link Console#close} writes what is still queued.
     */
    static Console console(Formatter formatter, OutputStream out) {
        return new Console(formatter, out);
    }

    /** {@link #console(Formatter, OutputStream)} to the process's standard output, as the console handler writes. */
    static Console console(Formatter formatter) {
        return console(formatter, new FileOutputStream(FileDescriptor.out));
    }

    /** The batching console writer. */
    final class Console implements DecisionLog, AutoCloseable {

        /** Lines waiting; a full queue makes the event loop wait (as the asynchronous console handler's does). */
        static final int QUEUE = 1024;
        /**
         * Longest line kept whole: a line carries what the review says (uid, name, user), and the queue
         * must not hold megabytes a line; longer ones are cut, saying so.
         */
        static final int MAX_LINE = 4096;
        /** How long the writer waits for more lines after a batch before it sleeps until woken. */
        private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
        /** Largest single write: a pipe (a container's stdout) writes up to 4096 bytes without interleaving other writers' lines. */
        private static final int MAX_WRITE = 4096;

        private final Logger logger = Logger.getLogger(CATEGORY);
        private final Formatter formatter;
        private final OutputStream out;
        private final ArrayBlockingQueue<ExtLogRecord> queue = new ArrayBlockingQueue<>(QUEUE);
        private final AtomicBoolean asleep = new AtomicBoolean();
        private final Thread writer;
        private volatile boolean closed;

        private Console(Formatter formatter, OutputStream out) {
            this.formatter = formatter;
            this.out = out;
            this.writer = new Thread(this::run, "idgate-decision-log");
            writer.setDaemon(true);
            writer.start();
        }

        @Override
        public boolean enabled() {
            return logger.isInfoEnabled();
        }

        @Override
        public void write(String line) {
            if (closed) {
                logger.info(line); // a review answered while the process stops
                return;
            }
            if (line.length() > MAX_LINE) {
                line = line.substring(0, MAX_LINE) + "… (" + (line.length() - MAX_LINE) + " more characters)";
            }
            // built here: the timestamp and thread name are the caller's
            ExtLogRecord record = new ExtLogRecord(Level.INFO, line, ExtLogRecord.FormatStyle.NO_FORMAT, DecisionLog.class.getName());
            record.setLoggerName(CATEGORY);
            record.disableCallerCalculation();
            if (!queue.offer(record)) {
                wake();
                try {
                    queue.put(record);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    logger.info(line); // not lost
                    return;
                }
            }
            if (asleep.get()) {
                wake();
            }
        }

        private void wake() {
            asleep.set(false);
            LockSupport.unpark(writer);
        }

        private void run() {
            List<ExtLogRecord> batch = new ArrayList<>(QUEUE);
            while (!closed) {
                if (queue.drainTo(batch) > 0) {
                    writeAll(batch);
                    LockSupport.parkNanos(LINGER_NANOS); // more lines are likely: take them together
                    continue;
                }
                asleep.set(true);
                if (queue.isEmpty() && !closed) { // a line queued before asleep was set is seen here
                    LockSupport.park(this);
                }
                asleep.set(false);
            }
        }

        private void writeAll(List<ExtLogRecord> batch) {
            StringBuilder text = new StringBuilder(batch.size() * 200);
            for (ExtLogRecord record : batch) {
                text.append(formatter.format(record));
            }
            batch.clear();
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            try {
                int from = 0;
                while (from < bytes.length) {
                    int to = Math.min(bytes.length, from + MAX_WRITE);
                    if (to < bytes.length) {
                        int lineEnd = lastNewline(bytes, from, to);
                        to = lineEnd > from ? lineEnd : to; // a line longer than a write goes in pieces
                    }
                    out.write(bytes, from, to - from);
                    from = to;
                }
                out.flush();
            } catch (IOException e) {
                System.err.println("idgate: decision log lines not written: " + e.getMessage());
            }
        }

        /** The position after the last newline in {@code bytes[from, to)}, or -1. */
        private static int lastNewline(byte[] bytes, int from, int to) {
            for (int i = to - 1; i >= from; i--) {
                if (bytes[i] == '\n') {
                    return i + 1;
                }
            }
            return -1;
        }

        /** Stops the writer and writes every line still queued (at shutdown: none is lost). */
        @Override
        public void close() {
            closed = true;
            LockSupport.unpark(writer);
            try {
                writer.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<ExtLogRecord> rest = new ArrayList<>();
            queue.drainTo(rest);
            if (!rest.isEmpty()) {
                writeAll(rest);
            }
        }
    }
}
