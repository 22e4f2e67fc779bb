package io.idgate.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * idgate's heap over the run. Each sample forces a full collection ({@code jcmd <pid> GC.run}) and then
 * reads {@code jvm_gc_live_data_size_bytes} from the management port: the old generation right after a
 * full GC, i.e. what is still reachable, without the garbage whose amount depends on when the last
 * young collection happened. A leak is a line that keeps rising through these points.
 */
final class HeapTrend {

    /** One sample: minutes since the load started, live heap after the forced GC, heap used, resident set. */
    record Sample(double minutes, long liveBytes, long heapUsedBytes, long rssBytes) {}

    /** A least-squares line: slope in bytes per minute and its standard error. */
    record Fit(double slopeBytesPerMinute, double standardError, int points) {}

    private static final Pattern LIVE = Pattern.compile("(?m)^jvm_gc_live_data_size_bytes(?:\\{[^}]*\\})? (\\S+)$");
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$");

    private final Supplier<ProcessHandle> idgate;
    private final Supplier<String> metrics;
    private final List<Sample> samples = new ArrayList<>();

    HeapTrend(Supplier<ProcessHandle> idgate, Supplier<String> metrics) {
        this.idgate = idgate;
        this.metrics = metrics;
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    Sample sample(double minutes) throws IOException, InterruptedException {
        ProcessHandle pid = idgate.get();
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd " + pid.pid() + " GC.run failed");
        }
        // Micrometer records the live size from the GC notification, delivered on its own thread
        Thread.sleep(300);
        String text = metrics.get();
        Matcher live = LIVE.matcher(text);
        if (!live.find()) {
            throw new IOException("no jvm_gc_live_data_size_bytes on idgate's management port");
        }
        long used = 0;
        for (Matcher m = HEAP_USED.matcher(text); m.find(); ) {
            used += (long) Double.parseDouble(m.group(1));
        }
        Sample s = new Sample(minutes, (long) Double.parseDouble(live.group(1)), used, rss(pid.pid()));
        synchronized (this) {
            samples.add(s);
        }
        return s;
    }

    /** The trend of the live heap over the samples taken at or after {@code fromMinutes} (the second half: start-up and warm-up excluded). */
    synchronized Fit fit(double fromMinutes) {
        return fit(samples.stream().filter(s -> s.minutes() >= fromMinutes).toList());
    }

    static Fit fit(List<Sample> points) {
        int n = points.size();
        if (n < 3) {
            return new Fit(Double.NaN, Double.NaN, n);
        }
        double mx = points.stream().mapToDouble(Sample::minutes).average().orElseThrow();
        double my = points.stream().mapToDouble(Sample::liveBytes).average().orElseThrow();
        double sxx = 0;
        double sxy = 0;
        for (Sample p : points) {
            sxx += (p.minutes() - mx) * (p.minutes() - mx);
            sxy += (p.minutes() - mx) * (p.liveBytes() - my);
        }
        double slope = sxy / sxx;
        double residuals = 0;
        for (Sample p : points) {
            double r = p.liveBytes() - (my + slope * (p.minutes() - mx));
            residuals += r * r;
        }
        return new Fit(slope, Math.sqrt(residuals / (n - 2) / sxx), n);
    }

    private static long rss(long pid) {
        try {
            Matcher m = Pattern.compile("VmRSS:\\s*(\\d+) kB").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
