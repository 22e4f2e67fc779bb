package io.idgate.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures and verdict of one run: {@code results.json}, a Markdown summary, and the {@code ## Soak} section of docs/security.md. */
public final class SoakReport {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final ObjectNode results;
    private final List<String> failed;

    private SoakReport(ObjectNode results, List<String> failed) {
        this.results = results;
        this.failed = failed;
    }

    static SoakReport of(Soak.Options o, double loadAtStart, List<Scenario.Template> templates, Timeline timeline, Tally warmup, Tally tally, Map<Churn.Step, Integer> churn,
            HeapTrend heap, int sent, int maxInFlight, long serverCounted, double minutes, List<String> harnessFailures) {
        ObjectNode r = JSON.createObjectNode();
        r.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode machine = r.putObject("machine");
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("load1AtStart", loadAtStart);
        machine.put("load1AtEnd", loadavg());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        ObjectNode config = r.putObject("config");
        config.put("minutes", o.minutes());
        config.put("rate", o.rate());
        config.put("warmupSeconds", o.warmupSeconds());
        config.put("churnSeconds", o.churnSeconds());
        config.put("windowSeconds", o.windowSeconds());
        config.put("heapIntervalSeconds", o.heapIntervalSeconds());
        config.put("heapThresholdBytesPerMinute", o.heapThresholdBytesPerMinute());
        config.put("seed", o.seed());
        config.put("apiServer", "kube-apiserver v1.20.2 + etcd (e2e harness), idgate jar with -Xmx256m");

        ObjectNode warm = r.putObject("warmup");
        warm.put("answered", warmup.answered());
        warm.put("disagreements", warmup.count(Timeline.Outcome.WRONG) + warmup.count(Timeline.Outcome.STALE));
        warm.put("non200", warmup.non200());
        warm.put("transportErrors", warmup.transportErrors());
        warm.set("samples", warmup.samples());
        ObjectNode reviews = r.putObject("reviews");
        reviews.put("sent", sent);
        reviews.put("answered", tally.answered());
        reviews.put("countedByIdgate", serverCounted);
        reviews.put("maxInFlight", maxInFlight);
        reviews.put("inFlightCap", Load.MAX_IN_FLIGHT);
        reviews.put("minutes", round(minutes, 2));
        reviews.put("achievedRate", round(tally.achievedRate(), 1));
        reviews.set("byKind", tally.byKind());
        ObjectNode latency = r.putObject("latencyMs");
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            latency.put(p == 100 ? "max" : "p" + (p == 99.9 ? "99.9" : Integer.toString((int) p)), round(tally.latencyMillis(p), 1));
        }
        ObjectNode decisions = r.putObject("decisions");
        decisions.put("current", tally.count(Timeline.Outcome.CURRENT));
        decisions.put("oldVersionWithinWindow", tally.count(Timeline.Outcome.LAGGING));
        decisions.put("maxOldVersionLagMs", tally.maxLagMillis());
        decisions.put("missLookupTimedOutSameDecision", tally.degraded());
        decisions.put("stale", tally.count(Timeline.Outcome.STALE));
        decisions.put("wrong", tally.count(Timeline.Outcome.WRONG));
        decisions.put("non200", tally.non200());
        decisions.putPOJO("non200ByStatus", tally.statuses());
        decisions.put("transportErrors", tally.transportErrors());
        decisions.putPOJO("transportErrorsByType", tally.errors());
        decisions.put("uidMismatches", tally.uidMismatches());

        ObjectNode changes = r.putObject("churn");
        int versions = timeline.versions().size();
        changes.put("changes", versions - 1);
        churn.forEach((step, n) -> changes.put(step.name(), n));
        int flippable = (int) java.util.stream.IntStream.range(0, templates.size())
                .filter(i -> timeline.versions().stream().map(v -> v.expected(i)).distinct().count() > 1).count();
        changes.put("templates", templates.size());
        changes.put("templatesWhoseAnswerTheChurnChanges", flippable);
        changes.put("templatesIdgateAnsweredSeveralWays", tally.templatesAnsweredSeveralWays());

        HeapTrend.Fit fit = heap.fit(minutes / 2);
        ObjectNode h = r.putObject("heap");
        h.put("fitFromMinute", round(minutes / 2, 2));
        h.put("points", fit.points());
        h.put("slopeBytesPerMinute", Math.round(fit.slopeBytesPerMinute()));
        h.put("standardErrorBytesPerMinute", Math.round(fit.standardError()));
        h.put("thresholdBytesPerMinute", o.heapThresholdBytesPerMinute());
        var samples = h.putArray("samples");
        heap.samples().forEach(s -> samples.addObject().put("minute", round(s.minutes(), 2)).put("liveBytes", s.liveBytes())
                .put("heapUsedBytes", s.heapUsedBytes()).put("rssBytes", s.rssBytes()));
        r.set("templates", tally.byTemplate(timeline));
        r.set("failureSamples", tally.samples());

        List<String> failed = new ArrayList<>(harnessFailures);
        check(failed, tally.count(Timeline.Outcome.WRONG) == 0, tally.count(Timeline.Outcome.WRONG) + " wrong decisions");
        check(failed, tally.count(Timeline.Outcome.STALE) == 0, tally.count(Timeline.Outcome.STALE) + " stale decisions");
        check(failed, tally.non200() == 0, tally.non200() + " non-200 answers to valid reviews");
        check(failed, tally.transportErrors() == 0, tally.transportErrors() + " transport errors or timeouts (" + Load.TIMEOUT.toSeconds() + " s)");
        check(failed, tally.uidMismatches() == 0, tally.uidMismatches() + " answers with another uid");
        check(failed, tally.answered() + tally.transportErrors() == sent, (sent - tally.answered() - tally.transportErrors()) + " reviews never judged");
        check(failed, tally.achievedRate() >= 0.95 * o.rate(),
                String.format(Locale.ROOT, "rate achieved %.1f/s, under 95%% of %d/s", tally.achievedRate(), o.rate()));
        check(failed, versions - 1 >= Churn.Step.values().length, "churn made " + (versions - 1) + " changes, not one full cycle");
        boolean heapJudged = !Double.isNaN(o.heapThresholdBytesPerMinute());
        if (heapJudged) {
            check(failed, fit.points() >= 3 && fit.slopeBytesPerMinute() <= o.heapThresholdBytesPerMinute(),
                    String.format(Locale.ROOT, "live heap slope %.0f B/min over %d points, threshold %.0f", fit.slopeBytesPerMinute(), fit.points(),
                            o.heapThresholdBytesPerMinute()));
        }
        h.put("judged", heapJudged);
        r.put("passed", failed.isEmpty());
        r.putPOJO("failures", failed);
        return new SoakReport(r, failed);
    }

    public boolean passed() {
        return failed.isEmpty();
    }

    public List<String> failures() {
        return failed;
    }

    public ObjectNode results() {
        return results;
    }

    /** {@code results.json} and {@code summary.md} in {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("results.json").toFile(), results);
        Files.writeString(dir.resolve("summary.md"), markdown());
    }

    /** The figures as the {@code ## Soak} section shows them. */
    public String markdown() {
        ObjectNode c = (ObjectNode) results.get("config");
        ObjectNode rv = (ObjectNode) results.get("reviews");
        ObjectNode d = (ObjectNode) results.get("decisions");
        ObjectNode l = (ObjectNode) results.get("latencyMs");
        ObjectNode h = (ObjectNode) results.get("heap");
        ObjectNode ch = (ObjectNode) results.get("churn");
        StringBuilder kinds = new StringBuilder();
        rv.get("byKind").fields().forEachRemaining(e -> kinds.append(kinds.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                .append(e.getValue().path("sent").asLong()));
        String changes = java.util.Arrays.stream(Churn.Step.values()).filter(s -> ch.has(s.name()))
                .map(s -> s.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + ch.path(s.name()).asInt()).collect(Collectors.joining(", "));
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Last run: %s, %d CPUs shared with other work (1-minute load %.1f at the start, %.1f at the end), %s.%n%n",
                results.path("date").asText(), results.path("machine").path("cpus").asInt(), results.path("machine").path("load1AtStart").asDouble(),
                results.path("machine").path("load1AtEnd").asDouble(), c.path("apiServer").asText()));
        md.append("| figure | value |\n|---|---|\n");
        ObjectNode w = (ObjectNode) results.get("warmup");
        row(md, "duration", String.format(Locale.ROOT, "%.1f min, after %.0f s of warm-up at the same rate (%d answers, %d disagreements, %d failed: not judged)",
                rv.path("minutes").asDouble(), c.path("warmupSeconds").asDouble(), w.path("answered").asInt(), w.path("disagreements").asInt(),
                w.path("non200").asInt() + w.path("transportErrors").asInt()));
        row(md, "rate (target / achieved)", String.format(Locale.ROOT, "%d/s / %.1f/s", c.path("rate").asInt(), rv.path("achievedRate").asDouble()));
        row(md, "reviews sent / answered / counted by idgate", rv.path("sent").asLong() + " / " + rv.path("answered").asLong() + " / "
                + rv.path("countedByIdgate").asLong());
        row(md, "reviews by kind", kinds.toString());
        row(md, "changes through the API server", String.format(Locale.ROOT, "%d, one every %.1f s: %s", ch.path("changes").asInt(),
                c.path("churnSeconds").asDouble(), changes));
        row(md, "templates whose answer the churn flips / answered several ways by idgate", ch.path("templatesWhoseAnswerTheChurnChanges").asInt()
                + " of " + ch.path("templates").asInt() + " / " + ch.path("templatesIdgateAnsweredSeveralWays").asInt());
        row(md, "**wrong decisions**", "**" + d.path("wrong").asLong() + "**");
        row(md, "**stale decisions** (old version after the " + c.path("windowSeconds").asDouble() + " s window)", "**" + d.path("stale").asLong() + "**");
        row(md, "old version within the window (max lag after the write returned)", d.path("oldVersionWithinWindow").asLong() + " ("
                + d.path("maxOldVersionLagMs").asLong() + " ms)");
        row(md, "cache-miss GET cut off at 500 ms (missing ServiceAccount, same refusal with another reason)",
                Long.toString(d.path("missLookupTimedOutSameDecision").asLong()));
        row(md, "**non-200 answers / transport errors / uid mismatches**", "**" + d.path("non200").asLong() + " / " + d.path("transportErrors").asLong()
                + " / " + d.path("uidMismatches").asLong() + "**");
        row(md, "latency p50 / p99 / p99.9 / max (from due time)", String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms", l.path("p50").asDouble(),
                l.path("p99").asDouble(), l.path("p99.9").asDouble(), l.path("max").asDouble()));
        List<ObjectNode> samples = new ArrayList<>();
        h.get("samples").forEach(s -> samples.add((ObjectNode) s));
        if (!samples.isEmpty()) {
            row(md, "live heap after full GC, first / last sample", String.format(Locale.ROOT, "%.1f / %.1f MiB (RSS %.0f / %.0f MiB)",
                    samples.get(0).path("liveBytes").asLong() / 1048576.0, samples.get(samples.size() - 1).path("liveBytes").asLong() / 1048576.0,
                    samples.get(0).path("rssBytes").asLong() / 1048576.0, samples.get(samples.size() - 1).path("rssBytes").asLong() / 1048576.0));
        }
        row(md, "**live heap slope** (second half, " + h.path("points").asInt() + " samples)", String.format(Locale.ROOT,
                "**%+.1f KiB/min** (± %.1f), threshold %s", h.path("slopeBytesPerMinute").asDouble() / 1024, h.path("standardErrorBytesPerMinute").asDouble() / 1024,
                h.path("judged").asBoolean() ? String.format(Locale.ROOT, "%.0f KiB/min", h.path("thresholdBytesPerMinute").asDouble() / 1024) : "not judged (run too short)"));
        row(md, "**verdict**", passed() ? "**PASS**" : "**FAIL**: " + String.join("; ", failed));
        return md.toString();
    }

    private static final String HEADING = "## Soak";
    static final String BEGIN = "<!-- BEGIN GENERATED by make soak: do not edit by hand -->";
    static final String END = "<!-- END GENERATED by make soak -->";

    /**
     * Puts the figures between the markers of the {@code ## Soak} section of {@code doc}; the prose
     * around them is left alone. Without a section, writes one (before "## Not covered yet") with the
     * default prose.
     */
    public void updateDoc(Path doc) throws IOException {
        String text = Files.readString(doc);
        String generated = BEGIN + "\n" + markdown() + END;
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String updated;
        if (begin >= 0 && end > begin) {
            updated = text.substring(0, begin) + generated + text.substring(end + END.length());
        } else {
            String section = HEADING + "\n\n" + INTRO + "\n" + generated + "\n\n";
            int before = text.indexOf("\n## Not covered yet");
            updated = before < 0 ? text.stripTrailing() + "\n\n" + section : text.substring(0, before + 1) + section + text.substring(before + 1);
        }
        Files.writeString(doc, updated);
    }

    /** The section's prose when make soak has to create it. */
    private static final String INTRO = """
            `make soak` runs idgate on a real kube-apiserver and sends it a fixed-rate, open-loop mix of valid \
            AdmissionReviews while guardrail ConfigMaps and a ServiceAccount change through the API server. Each answer is \
            compared with what idgate's engine computes in-process for every version of the world that could have been in \
            force; no match is a wrong decision, a match with an older version only is a stale one. The heap criterion is \
            the slope of idgate's live heap after forced full GCs over the second half of the run. The figures below are \
            rewritten by each run; every sample is in `target/soak/results.json`. Repeat with \
            `KUBE_ASSETS=<dir with kube-apiserver> make soak` (`SOAK_MINUTES`, default 10; `SOAK_RATE`, default 200).
            """;

    private static void row(StringBuilder md, String figure, String value) {
        md.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }

    private static void check(List<String> failed, boolean ok, String problem) {
        if (!ok) {
            failed.add(problem);
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static double loadavg() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
