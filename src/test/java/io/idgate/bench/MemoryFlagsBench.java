package io.idgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.bench.Bench.Endpoint;
import io.idgate.bench.Bench.Jvm;
import io.idgate.bench.Bench.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Memory: JVM flags by measurement ({@code bench/run.sh --only-memory}). Compares the configurations of
 * {@code bench/memory-flags.txt} (or {@code --configs=FILE}; the first is the reference) in two parts,
 * each interleaved so that a change of machine load falls on every configuration alike:
 *
 * <ul>
 *   <li>throughput: one idgate on {@code examples/cluster} per configuration, all started and warmed
 *       (50 connections per endpoint) first; then, {@code --rounds=N} times (3 by default), every row
 *       (wrk closed loop at 10 and 50 connections on {@code /mutate/pods} and
 *       {@code /validate/networkpolicies}) is run against each configuration back to back, in the
 *       opposite order every other round (A B C, C B A), with the 1-minute load before each run;
 *   <li>memory: idgate with 10,000 ServiceAccounts and 1,000 guardrail rules
 *       ({@link Bench#serverAtScale(Jvm, String)}), one configuration at a time, the same rounds and
 *       order: RSS idle after ready, then peak (VmHWM) after the warm-up at 50 connections,
 *       {@code /mutate/pods} at 1,000 reviews/s and the NetworkPolicy review all rules judge. With
 *       {@code -XX:NativeMemoryTracking=summary} among the flags, the JVM's own breakdown is written to
 *       {@code target/bench/mem-NAME-rN-scale-nmt.txt}.
 * </ul>
 *
 * The report gives medians of the rounds (req/s, RSS) and the highest peak, each req/s also as a ratio
 * to the reference's median.
 */
final class MemoryFlagsBench {

    static final String BEGIN = "<!-- BEGIN GENERATED memory-flags by make bench: do not edit by hand -->";
    static final String END = "<!-- END GENERATED memory-flags -->";
    private static final int[] CONNECTIONS = {10, 50};

    private MemoryFlagsBench() {}

    /**
     * The configurations of {@code file}: {@code name: ENV=VALUE… -flag…} a line; {@code name: shipped}
     * is the Deployment's, {@code name: shipped -flag…} the Deployment's with flags added (the last of
     * two flags that set the same thing wins).
     */
    static List<Jvm> configurations(Path file) throws IOException {
        List<Jvm> configs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException(file + ": not `name: flags`: " + line);
            }
            String name = l.substring(0, colon).strip();
            String rest = l.substring(colon + 1).strip();
            Jvm jvm;
            if (rest.equals("shipped") || rest.startsWith("shipped ")) {
                Jvm shipped = Jvm.shipped();
                List<String> flags = new ArrayList<>(shipped.flags());
                flags.addAll(Jvm.parse(name, rest.substring("shipped".length())).flags());
                jvm = new Jvm(name, shipped.environment(), List.copyOf(flags));
            } else {
                jvm = Jvm.parse(name, rest);
            }
            configs.add(new Jvm(name, jvm.environment(), jvm.flags()));
        }
        if (configs.isEmpty()) {
            throw new IllegalArgumentException(file + " names no configuration");
        }
        return configs;
    }

    static void run(Bench bench, List<String> flags) throws Exception {
        Path file = Bench.ROOT.resolve(flags.stream().filter(f -> f.startsWith("--configs=")).map(f -> f.substring("--configs=".length()))
                .findFirst().orElse("bench/memory-flags.txt"));
        int rounds = flags.stream().filter(f -> f.startsWith("--rounds=")).map(f -> Integer.parseInt(f.substring("--rounds=".length())))
                .findFirst().orElse(bench.quick ? 1 : 3);
        List<Jvm> configs = configurations(file);
        ObjectNode part = bench.results.putObject("memoryFlags");
        part.put("configsFile", Bench.ROOT.relativize(file).toString());
        part.put("rounds", rounds);
        part.put("shipped", Jvm.shipped().line());
        ArrayNode runs = part.putArray("runs");
        throughput(bench, configs, rounds, runs);
        bench.save();
        for (int round = 0; round < rounds; round++) {
            for (Jvm config : order(configs, round)) {
                Bench.log("memory round %d/%d: %s (%s)", round + 1, rounds, config.name(), config.line());
                ObjectNode run = runs.addObject();
                run.put("part", "scale");
                run.put("config", config.name());
                run.put("round", round + 1);
                run.put("load1AtStart", Bench.loadavg());
                run.set("scale", bench.serverAtScale(config, "mem-" + config.name() + "-r" + (round + 1) + "-scale"));
                bench.save();
            }
        }
        ArrayNode summary = part.putArray("configs");
        for (Jvm config : configs) {
            summary.add(summarise(config, runs));
        }
        JsonNode reference = summary.get(0);
        for (JsonNode s : summary) {
            ObjectNode ratios = ((ObjectNode) s).putObject("ratio");
            s.path("rps").fields().forEachRemaining(e -> ratios.put(e.getKey(), e.getValue().asDouble() / reference.path("rps").path(e.getKey()).asDouble()));
        }
        Bench.log("%s", table(bench.results));
    }

    /** Round {@code round}'s order: as listed, reversed every other round. */
    private static List<Jvm> order(List<Jvm> configs, int round) {
        List<Jvm> order = new ArrayList<>(configs);
        if (round % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    /** Every configuration's idgate on examples/cluster at once, warmed; then each wrk row against each in turn, {@code rounds} times. */
    private static void throughput(Bench bench, List<Jvm> configs, int rounds, ArrayNode runs) throws Exception {
        List<Proc> servers = new ArrayList<>();
        try {
            for (int i = 0; i < configs.size(); i++) {
                servers.add(bench.startIdgate(port(i), Bench.ROOT.resolve("examples/cluster"), "mem-" + configs.get(i).name() + "-http", configs.get(i)));
            }
            for (int i = 0; i < configs.size(); i++) {
                Bench.log("warming %s for %d s per endpoint", configs.get(i).name(), bench.warmupSeconds);
                for (Endpoint e : Bench.ENDPOINTS) {
                    bench.wrk(port(i), e, 50, bench.warmupSeconds);
                }
            }
            for (int round = 0; round < rounds; round++) {
                for (int c : CONNECTIONS) {
                    for (Endpoint e : Bench.ENDPOINTS) {
                        for (Jvm config : order(configs, round)) {
                            int i = configs.indexOf(config);
                            double load = Bench.loadavg();
                            ObjectNode row = bench.wrk(port(i), e, c, bench.runSeconds);
                            row.put("part", "throughput");
                            row.put("config", config.name());
                            row.put("round", round + 1);
                            row.put("row", e.name() + "@" + c);
                            row.put("load1", load);
                            runs.add(row);
                            Bench.log("round %d %s %s c=%d: %.0f req/s (load %.2f)", round + 1, config.name(), e.name(), c, row.get("rps").asDouble(), load);
                        }
                    }
                }
                bench.save();
            }
            for (int i = 0; i < configs.size(); i++) {
                ObjectNode rss = runs.addObject();
                rss.put("part", "throughputRss");
                rss.put("config", configs.get(i).name());
                rss.put("rssMiB.now", servers.get(i).rssMiB("VmRSS"));
                rss.put("rssMiB.peak", servers.get(i).rssMiB("VmHWM"));
            }
        } finally {
            for (Proc p : servers) {
                p.stop();
            }
        }
    }

    private static int port(int i) {
        return 18450 + i;
    }

    private static ObjectNode summarise(Jvm config, JsonNode runs) {
        ObjectNode s = config.json();
        List<JsonNode> mine = new ArrayList<>();
        runs.forEach(r -> {
            if (r.path("config").asText().equals(config.name())) {
                mine.add(r);
            }
        });
        List<JsonNode> scale = mine.stream().filter(r -> r.path("part").asText().equals("scale")).map(r -> r.path("scale")).toList();
        List<JsonNode> wrk = mine.stream().filter(r -> r.path("part").asText().equals("throughput")).toList();
        ObjectNode rps = s.putObject("rps");
        for (int c : CONNECTIONS) {
            for (Endpoint e : Bench.ENDPOINTS) {
                String key = e.name() + "@" + c;
                rps.put(key, median(wrk.stream().filter(r -> r.path("row").asText().equals(key)).map(r -> r.path("rps").asDouble()).toList()));
            }
        }
        s.put("scaleIdleMiB", median(scale.stream().map(r -> r.path("rssMiB.idle").asDouble()).toList()));
        s.put("scalePeakMiB", median(scale.stream().map(r -> r.path("rssMiB.peak").asDouble()).toList()));
        s.put("scalePeakMaxMiB", scale.stream().mapToDouble(r -> r.path("rssMiB.peak").asDouble()).max().orElse(Double.NaN));
        s.put("scaleNowMiB", median(scale.stream().map(r -> r.path("rssMiB.now").asDouble()).toList()));
        s.put("netpol1kRulesRps", median(scale.stream().map(r -> r.path("closedLoop.validate-networkpolicies").path("rps").asDouble()).toList()));
        mine.stream().filter(r -> r.path("part").asText().equals("throughputRss")).findFirst()
                .ifPresent(r -> s.put("httpPeakMiB", r.path("rssMiB.peak").asDouble()));
        s.put("load1Min", wrk.stream().mapToDouble(r -> r.path("load1").asDouble()).min().orElse(Double.NaN));
        s.put("load1Max", wrk.stream().mapToDouble(r -> r.path("load1").asDouble()).max().orElse(Double.NaN));
        s.put("rounds", scale.size());
        return s;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The comparison as a console table. */
    static String table(JsonNode results) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%n%-14s %6s %6s %6s | %8s %8s %8s %8s | %s%n", "config", "idle", "peak", "max",
                "pod@10", "pod@50", "np@10", "np@50", "load1"));
        for (JsonNode s : results.path("memoryFlags").path("configs")) {
            JsonNode rps = s.path("rps");
            JsonNode ratio = s.path("ratio");
            t.append(String.format(Locale.ROOT, "%-14s %6.0f %6.0f %6.0f | %8s %8s %8s %8s | %.1f–%.1f%n", s.path("name").asText(), s.path("scaleIdleMiB").asDouble(),
                    s.path("scalePeakMiB").asDouble(), s.path("scalePeakMaxMiB").asDouble(),
                    cell(rps, ratio, "mutate-pods@10"), cell(rps, ratio, "mutate-pods@50"),
                    cell(rps, ratio, "validate-networkpolicies@10"), cell(rps, ratio, "validate-networkpolicies@50"),
                    s.path("load1Min").asDouble(), s.path("load1Max").asDouble()));
        }
        return t.toString();
    }

    private static String cell(JsonNode rps, JsonNode ratio, String key) {
        return String.format(Locale.ROOT, "%.0f/%.2f", rps.path(key).asDouble(), ratio.path(key).asDouble());
    }

    static void writeDoc(JsonNode results, Path doc) throws IOException {
        JsonNode part = results.path("memoryFlags");
        if (part.isMissingNode()) {
            return;
        }
        JsonNode machine = results.path("machine");
        JsonNode method = results.path("method");
        StringBuilder m = new StringBuilder();
        m.append(String.format(Locale.ROOT, "Run of %s%s; %d cores, %s; 1-minute load %.2f at start. %d rounds, the configurations interleaved "
                        + "(in the opposite order every other round). Throughput: one idgate per configuration on `examples/cluster`, all warmed %d s per "
                        + "endpoint at 50 connections, then each wrk row (%d s) against each configuration back to back; median req/s of the rounds and, in "
                        + "brackets, its ratio to `%s`. RSS: idgate with 10,000 ServiceAccounts and 1,000 rules, one configuration at a time: idle after "
                        + "ready, and peak (VmHWM) after its warm-up and load; medians of the rounds, in brackets the highest peak of any round. "
                        + "\"load1\": the 1-minute load before the throughput runs (wrk and the loaded server add about 2).%n%n",
                results.path("date").asText(), results.path("quick").asBoolean() ? " (**--quick: harness check, not figures to publish**)" : "",
                machine.path("cpus").asInt(), machine.path("java").asText(), machine.path("load1AtStart").asDouble(), part.path("rounds").asInt(),
                method.path("warmupSecondsPerEndpoint").asInt(), method.path("runSeconds").asInt(), part.path("configs").path(0).path("name").asText()));
        m.append("| configuration | RSS idle | RSS peak (max) | `/mutate/pods` @10 | @50 | `/validate/networkpolicies` @10 | @50 | load1 during |\n");
        m.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode s : part.path("configs")) {
            JsonNode rps = s.path("rps");
            JsonNode ratio = s.path("ratio");
            m.append(String.format(Locale.ROOT, "| `%s` | %.0f MiB | **%.0f** (%.0f) MiB | %s | %s | %s | %s | %.1f–%.1f |%n", s.path("name").asText(),
                    s.path("scaleIdleMiB").asDouble(), s.path("scalePeakMiB").asDouble(), s.path("scalePeakMaxMiB").asDouble(),
                    docCell(rps, ratio, "mutate-pods@10"), docCell(rps, ratio, "mutate-pods@50"),
                    docCell(rps, ratio, "validate-networkpolicies@10"), docCell(rps, ratio, "validate-networkpolicies@50"),
                    s.path("load1Min").asDouble(), s.path("load1Max").asDouble()));
        }
        m.append("\nThe configurations (`").append(part.path("configsFile").asText()).append("`):\n\n");
        for (JsonNode s : part.path("configs")) {
            m.append("- `").append(s.path("name").asText()).append("`: `").append(s.path("line").asText()).append("`\n");
        }
        m.append('\n');
        BenchReport.writeInto(doc, m.toString(), BEGIN, END);
    }

    private static String docCell(JsonNode rps, JsonNode ratio, String key) {
        return String.format(Locale.ROOT, "%,.0f (%.2f)", rps.path(key).asDouble(), ratio.path(key).asDouble());
    }
}
