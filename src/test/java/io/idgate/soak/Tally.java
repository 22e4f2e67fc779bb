package io.idgate.soak;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The counts of a run, by template; fed by the judging thread only. */
final class Tally {

    /** Kept for the report: the first few failures of each sort, with what was expected. */
    private static final int SAMPLES = 5;

    private final List<Scenario.Template> templates;
    private final long[][] outcomes; // [template][Outcome.ordinal()]
    private final int[] non200;
    private final int[] transportErrors;
    private final int[] uidMismatches;
    private final List<Set<String>> answeredWays = new ArrayList<>();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> errors = new TreeMap<>();
    private final ArrayNode samples = JsonNodeFactory.instance.arrayNode();
    private final Map<String, Integer> sampled = new LinkedHashMap<>();
    private long[] latencyMicros = new long[1 << 16];
    private int answered;
    private long maxLagNanos;
    private long degraded;
    private long firstSent = Long.MAX_VALUE;
    private long lastAnswered = Long.MIN_VALUE;

    Tally(List<Scenario.Template> templates) {
        this.templates = templates;
        this.outcomes = new long[templates.size()][Timeline.Outcome.values().length];
        this.non200 = new int[templates.size()];
        this.transportErrors = new int[templates.size()];
        this.uidMismatches = new int[templates.size()];
        templates.forEach(t -> answeredWays.add(new HashSet<>()));
    }

    void add(Load.Done d, Timeline timeline) {
        firstSent = Math.min(firstSent, d.dueNanos());
        lastAnswered = Math.max(lastAnswered, d.answeredNanos());
        if (d.error() != null) {
            transportErrors[d.template()]++;
            errors.merge(d.error().getClass().getSimpleName(), 1, Integer::sum);
            sample("transport error", d, d.error().toString(), null);
            return;
        }
        if (answered == latencyMicros.length) {
            latencyMicros = Arrays.copyOf(latencyMicros, answered * 2);
        }
        latencyMicros[answered++] = (d.answeredNanos() - d.dueNanos()) / 1000;
        if (d.status() != 200) {
            non200[d.template()]++;
            statuses.merge(Integer.toString(d.status()), 1, Integer::sum);
            sample("HTTP " + d.status(), d, new String(d.body(), java.nio.charset.StandardCharsets.UTF_8), null);
            return;
        }
        Answers.Read read = Answers.read(d.status(), d.body());
        if (!d.uid().equals(read.uid())) {
            uidMismatches[d.template()]++;
            sample("uid mismatch", d, "sent " + d.uid() + ", answer carries " + read.uid(), null);
        }
        Timeline.Judgement j = timeline.judge(d.template(), d.sentNanos(), d.answeredNanos(), read.decision());
        outcomes[d.template()][j.outcome().ordinal()]++;
        if (j.degraded()) {
            degraded++;
        }
        switch (j.outcome()) {
            case CURRENT -> normalWay(d.template(), j, read.decision());
            case LAGGING -> {
                normalWay(d.template(), j, read.decision());
                maxLagNanos = Math.max(maxLagNanos, j.lagNanos());
            }
            case STALE -> sample("stale", d, read.decision(), "matches version " + j.matched().index + " (" + j.matched().label
                    + "), replaced " + j.lagNanos() / 1_000_000 + " ms before the review was sent");
            case WRONG -> sample("wrong", d, read.decision(), expectedAround(timeline, d));
        }
    }

    private void normalWay(int template, Timeline.Judgement j, String decision) {
        if (!j.degraded()) {
            answeredWays.get(template).add(decision);
        }
    }

    long count(Timeline.Outcome outcome) {
        return Arrays.stream(outcomes).mapToLong(o -> o[outcome.ordinal()]).sum();
    }

    int non200() {
        return Arrays.stream(non200).sum();
    }

    int transportErrors() {
        return Arrays.stream(transportErrors).sum();
    }

    int uidMismatches() {
        return Arrays.stream(uidMismatches).sum();
    }

    int answered() {
        return answered;
    }

    /** Correct answers that were the degraded one: a cache-miss GET cut off at its timeout, same decision. */
    long degraded() {
        return degraded;
    }

    long maxLagMillis() {
        return maxLagNanos / 1_000_000;
    }

    /** Reviews per second from the first due time to the last answer. */
    double achievedRate() {
        return answered == 0 ? 0 : answered / ((lastAnswered - firstSent) / 1e9);
    }

    /** Latency percentile in milliseconds, counted from each review's due time. */
    double latencyMillis(double percentile) {
        if (answered == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(latencyMicros, answered);
        Arrays.sort(sorted);
        int index = Math.max(0, Math.min(answered - 1, (int) Math.ceil(percentile / 100.0 * answered) - 1));
        return sorted[index] / 1000.0;
    }

    /** How many templates the server answered in more than one correct way (the churn reached it). */
    int templatesAnsweredSeveralWays() {
        return (int) answeredWays.stream().filter(s -> s.size() > 1).count();
    }

    ObjectNode byKind() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < templates.size(); i++) {
            ObjectNode k = out.has(templates.get(i).kind()) ? (ObjectNode) out.get(templates.get(i).kind()) : out.putObject(templates.get(i).kind());
            add(k, i);
        }
        return out;
    }

    ArrayNode byTemplate(Timeline timeline) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        List<Timeline.Version> versions = timeline.versions();
        for (int i = 0; i < templates.size(); i++) {
            ObjectNode t = out.addObject();
            t.put("name", templates.get(i).name());
            t.put("kind", templates.get(i).kind());
            t.put("weight", templates.get(i).weight());
            add(t, i);
            int template = i;
            t.put("expectedAnswers", versions.stream().map(v -> v.expected(template)).distinct().count());
            t.put("answeredWays", answeredWays.get(i).size());
        }
        return out;
    }

    Map<String, Integer> statuses() {
        return statuses;
    }

    Map<String, Integer> errors() {
        return errors;
    }

    ArrayNode samples() {
        return samples;
    }

    private void add(ObjectNode k, int i) {
        long judged = Arrays.stream(outcomes[i]).sum();
        k.put("sent", k.path("sent").asLong() + judged + non200[i] + transportErrors[i]);
        for (Timeline.Outcome o : Timeline.Outcome.values()) {
            String key = o.name().toLowerCase(java.util.Locale.ROOT);
            k.put(key, k.path(key).asLong() + outcomes[i][o.ordinal()]);
        }
        k.put("non200", k.path("non200").asLong() + non200[i]);
        k.put("transportErrors", k.path("transportErrors").asLong() + transportErrors[i]);
        k.put("uidMismatches", k.path("uidMismatches").asLong() + uidMismatches[i]);
    }

    private void sample(String what, Load.Done d, String observed, String expected) {
        if (sampled.merge(what, 1, Integer::sum) > SAMPLES) {
            return;
        }
        ObjectNode s = samples.addObject();
        s.put("what", what);
        s.put("template", templates.get(d.template()).name());
        s.put("uid", d.uid());
        s.put("latencyMs", (d.answeredNanos() - d.dueNanos()) / 1_000_000);
        s.put("observed", observed);
        if (expected != null) {
            s.put("expected", expected);
        }
    }

    /** The expected answers of the last versions issued before the answer (those that could have been in force), for a wrong decision's sample. */
    private static String expectedAround(Timeline timeline, Load.Done d) {
        List<Timeline.Version> before = timeline.versions().stream().filter(v -> v.issuedNanos <= d.answeredNanos()).toList();
        StringBuilder out = new StringBuilder();
        for (Timeline.Version v : before.subList(Math.max(0, before.size() - 3), before.size())) {
            out.append("version ").append(v.index).append(" (").append(v.label).append("): ").append(v.expected(d.template())).append('\n');
        }
        return out.toString();
    }
}
