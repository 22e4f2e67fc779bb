package io.idgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders results.json: the console table and the generated part of docs/benchmarks.md. */
final class BenchReport {

    private BenchReport() {}

    /** The regression guard: the figures one compares between runs, and the ratio to the baseline. */
    static String table(JsonNode r) {
        StringBuilder t = new StringBuilder("\n");
        t.append(f("%-26s %5s | %9s %8s %8s %9s | %9s %8s %8s | %5s%n", "endpoint", "conns", "idgate/s", "p50 ms", "p99 ms", "p99.9 ms",
                "vertx/s", "p50 ms", "p99 ms", "ratio"));
        for (JsonNode row : r.path("closedLoop")) {
            JsonNode i = row.get("idgate");
            JsonNode b = row.get("baseline");
            t.append(f("%-26s %5d | %9.0f %8.2f %8.2f %9.2f | %9.0f %8.2f %8.2f | %5.2f%n", row.get("endpoint").asText(), row.get("connections").asInt(),
                    i.get("rps").asDouble(), ms(i, "p50_us"), ms(i, "p99_us"), ms(i, "p999_us"),
                    b.get("rps").asDouble(), ms(b, "p50_us"), ms(b, "p99_us"), row.get("ratio").asDouble()));
        }
        for (JsonNode row : r.path("fixedRate")) {
            t.append(f("%-26s %-8s at %4d/s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms%s%n", row.get("endpoint").asText(), row.get("server").asText(),
                    row.get("targetRps").asInt(), ms(row, "p50_us"), ms(row, "p99_us"), ms(row, "p999_us"),
                    row.has("serverP99UpperBound_us") ? f(", server-side p99 <= %.2f ms", row.get("serverP99UpperBound_us").asDouble() / 1000) : ""));
        }
        return t.toString();
    }

    static String markdown(JsonNode r) {
        StringBuilder m = new StringBuilder();
        JsonNode machine = r.get("machine");
        m.append(f("Run of %s%s. Machine: %d cores (%s), %d GiB, %s; 1-minute load %.2f at start. JVM flags for both servers: `%s`.%n%n",
                r.get("date").asText(), r.get("quick").asBoolean() ? " (**--quick: harness check, not figures to publish**)" : "",
                machine.get("cpus").asInt(), machine.get("cpu").asText(), machine.get("memGiB").asInt(), machine.get("java").asText(),
                machine.get("load1AtStart").asDouble(), jvmLine(r)));
        JsonNode method = r.get("method");
        m.append(f("Warm-up %d s per endpoint and server at 50 connections; closed-loop runs %d s each; fixed-rate runs %d s at %d req/s.%n%n",
                method.get("warmupSecondsPerEndpoint").asInt(), method.get("runSeconds").asInt(), method.get("rateSeconds").asInt(), method.get("rate").asInt()));

        m.append("### Throughput and latency against bare Vert.x (closed loop, wrk, HTTPS keep-alive)\n\n");
        m.append("| endpoint | connections | load1 | idgate req/s | p50 | p99 | p99.9 | Vert.x req/s | p50 | p99 | p99.9 | ratio |\n");
        m.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode row : r.path("closedLoop")) {
            JsonNode i = row.get("idgate");
            JsonNode b = row.get("baseline");
            m.append(f("| `%s` | %d | %.2f | %.0f | %.2f ms | %.2f ms | %.2f ms | %.0f | %.2f ms | %.2f ms | %.2f ms | **%.2f** |%n",
                    row.get("endpoint").asText(), row.get("connections").asInt(), row.get("load1").asDouble(),
                    i.get("rps").asDouble(), ms(i, "p50_us"), ms(i, "p99_us"), ms(i, "p999_us"),
                    b.get("rps").asDouble(), ms(b, "p50_us"), ms(b, "p99_us"), ms(b, "p999_us"), row.get("ratio").asDouble()));
        }
        m.append(f("%nAnswer sizes (the baseline sends the same bytes): %s.%n%n", r.path("answerBytes").toString()));

        m.append(f("### At a fixed rate (%d req/s, open loop, latency from each request's due time)%n%n", method.get("rate").asInt()));
        m.append("| endpoint | server | achieved req/s | p50 | p99 | p99.9 | max | server-side p99 (histogram bucket) |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode row : r.path("fixedRate")) {
            m.append(f("| `%s` | %s | %.0f | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %s |%n", row.get("endpoint").asText(), row.get("server").asText(),
                    row.get("rps").asDouble(), ms(row, "p50_us"), ms(row, "p99_us"), ms(row, "p999_us"), ms(row, "max_us"),
                    row.has("serverP99UpperBound_us") ? f("≤ %.3f ms", row.get("serverP99UpperBound_us").asDouble() / 1000) : "–"));
        }
        JsonNode rss = r.path("rssMiB");
        JsonNode startup = r.path("startup");
        m.append(f("%nRSS after the runs above: idgate %.0f MiB (peak %.0f), Vert.x %.0f MiB (peak %.0f). idgate ready %.2f s after `java` started; "
                        + "first `/mutate/pods` review %.1f ms, first `/validate/networkpolicies` review %.1f ms.%n%n",
                rss.path("idgate.now").asDouble(), rss.path("idgate.peak").asDouble(), rss.path("baseline.now").asDouble(), rss.path("baseline.peak").asDouble(),
                startup.path("readySeconds").asDouble(), startup.path("firstRequestMs.mutate-pods").asDouble(), startup.path("firstRequestMs.validate-networkpolicies").asDouble()));

        JsonNode scale = r.path("serverAtScale");
        if (!scale.isMissingNode()) {
            m.append(f("### idgate with %d ServiceAccounts and %d guardrail rules (standalone, same flags)%n%n", scale.get("serviceAccounts").asInt(), scale.get("rules").asInt()));
            JsonNode netpol = scale.get("closedLoop.validate-networkpolicies");
            m.append(f("Ready in %.2f s; RSS idle %.0f MiB, after load %.0f MiB, peak %.0f MiB. `/mutate/pods` at %d req/s: p50 %.2f ms, p99 %.2f ms. "
                            + "`/validate/networkpolicies` with all 1,000 rules applying, closed loop, 10 connections: %.0f req/s, p50 %.2f ms, p99 %.2f ms.%n%n",
                    scale.get("readySeconds").asDouble(), scale.get("rssMiB.idle").asDouble(), scale.get("rssMiB.now").asDouble(), scale.get("rssMiB.peak").asDouble(),
                    method.get("rate").asInt(), ms(scale.get("fixedRate.mutate-pods"), "p50_us"), ms(scale.get("fixedRate.mutate-pods"), "p99_us"),
                    netpol.get("rps").asDouble(), ms(netpol, "p50_us"), ms(netpol, "p99_us")));
        }

        if (r.has("jmh") || r.has("heapSteps")) {
            m.append("### Scale curves (JMH, one review decoded, decided and encoded in process; retained heap per step)\n\n");
            m.append("| curve | n | µs per review | ± | retained heap |\n|---|---:|---:|---:|---:|\n");
            for (JsonNode row : r.path("jmh")) {
                m.append(f("| %s | %,d | %.1f | %.1f | %s |%n", curveName(row.get("benchmark").asText()), row.get("n").asInt(),
                        row.get("us_per_review").asDouble(), row.get("error_us").asDouble(), heap(r, row.get("benchmark").asText(), row.get("n").asInt())));
            }
            if (!r.has("jmh")) {
                for (JsonNode row : r.path("heapSteps")) {
                    m.append(f("| %s | %,d | – | – | %,d KiB |%n", row.get("curve").asText(), row.get("n").asInt(), row.get("heapKiB").asLong()));
                }
            }
            m.append('\n');
        }

        m.append(targets(r));
        return m.toString();
    }

    /** Each target of issue 6 with the figure reached (the pod-create targets: {@link #podCreate}). */
    static String targets(JsonNode r) {
        StringBuilder m = new StringBuilder("### Targets\n\n| target | figure | met |\n|---|---|---|\n");
        for (JsonNode row : r.path("closedLoop")) {
            if (row.get("connections").asInt() == 50) {
                double ratio = row.get("ratio").asDouble();
                m.append(f("| ≥ 0.6 of bare Vert.x throughput, `%s` | %.2f | %s |%n", row.get("endpoint").asText(), ratio, ratio >= 0.6 ? "yes" : "no"));
            }
        }
        for (JsonNode row : r.path("fixedRate")) {
            if (row.get("server").asText().equals("idgate")) {
                double p99 = ms(row, "p99_us");
                double server = row.path("serverP99UpperBound_us").asDouble() / 1000;
                m.append(f("| p99 < 1 ms at 1,000 reviews/s, `%s` | client-side %.2f ms; in-server ≤ %.3f ms | %s |%n", row.get("endpoint").asText(), p99, server,
                        p99 < 1 ? "yes" : server < 1 ? "in-server yes; client-side no" : "no"));
            }
        }
        JsonNode scale = r.path("serverAtScale");
        if (!scale.isMissingNode()) {
            double peak = scale.get("rssMiB.peak").asDouble();
            m.append(f("| RSS < 160 MiB with 10,000 ServiceAccounts and 1,000 rules | peak %.0f MiB under load | %s |%n", peak, peak < 160 ? "yes" : "no"));
        }
        double first = Math.max(r.path("startup").path("firstRequestMs.mutate-pods").asDouble(), r.path("startup").path("firstRequestMs.validate-networkpolicies").asDouble());
        m.append(f("| first request after start < 50 ms | %.1f ms (slower endpoint) | %s |%n", first, first < 50 ? "yes" : "no"));
        return m.append('\n').toString();
    }

    /**
     * Pod creates through the kube-apiserver with no webhook, the echo webhook and idgate: latencies,
     * what each webhook adds over no webhook, idgate's added latency as a multiple of the echo's, and
     * the pod-create targets.
     */
    static String podCreate(JsonNode r) {
        JsonNode p = r.get("podCreate");
        StringBuilder m = new StringBuilder();
        double minLoad = Double.MAX_VALUE;
        double maxLoad = 0;
        for (JsonNode run : p.path("runs")) {
            minLoad = Math.min(minLoad, run.path("load1").asDouble());
            maxLoad = Math.max(maxLoad, run.path("load1").asDouble());
        }
        m.append(f("Run of %s%s; 1-minute load %.2f at the start, %.2f to %.2f before the runs, on %d cores shared by etcd, the API server, idgate, the echo"
                        + " and the clients. %s, etcd, all on 127.0.0.1. %d round%s of %d s per mode and client count, the modes in a rotating order,"
                        + " after %d s of each webhook at 10 clients; %.0f s in all. Each pod create calls %s; the echo answers each with the bytes idgate"
                        + " answered for the same pod (%s bytes).%n%n",
                r.path("date").asText(), r.path("quick").asBoolean() ? " (**--quick: harness check, not figures to publish**)" : "",
                p.path("load1AtStart").asDouble(), minLoad, maxLoad, r.path("machine").path("cpus").asInt(), p.path("apiserver").asText(),
                p.path("rounds").asInt(), p.path("rounds").asInt() == 1 ? "" : "s", p.path("secondsPerRun").asInt(), p.path("warmupSecondsPerWebhook").asInt(),
                p.path("elapsedSeconds").asDouble(), codes(p.path("pathsPerCreate")), joined(p.path("echoAnswerBytes"))));
        m.append("| clients | no webhook: mean / p50 / p99 | echo: mean / p50 / p99 | idgate: mean / p50 / p99 | echo adds: mean / p50 / p99 "
                + "| idgate adds: mean / p50 / p99 | idgate adds ÷ echo adds: mean / p50 / p99 |\n|---:|---|---|---|---|---|---|\n");
        for (JsonNode step : p.path("steps")) {
            JsonNode ratio = step.path("ratio");
            m.append(f("| %d | %s | %s | %s | %s | %s | **%s** / **%s** / %s |%n", step.path("clients").asInt(), triple(step.path("none"), ""),
                    triple(step.path("echo"), ""), triple(step.path("idgate"), ""), triple(step.path("echoAdded"), "+"), triple(step.path("idgateAdded"), "+"),
                    number(ratio.path("mean"), "%.2f"), number(ratio.path("p50"), "%.2f"), number(ratio.path("p99"), "%.2f")));
        }
        m.append("\n| clients | mode | creates | errors | creates/s | max | mean of each round |\n|---:|---|---:|---:|---:|---:|---|\n");
        for (JsonNode step : p.path("steps")) {
            for (String mode : List.of("none", "echo", "idgate")) {
                JsonNode s = step.path(mode);
                List<String> rounds = new ArrayList<>();
                for (JsonNode run : p.path("runs")) {
                    if (run.path("clients").asInt() == step.path("clients").asInt() && run.path("mode").asText().equals(mode)) {
                        rounds.add(number(run.path("mean_ms"), "%.1f"));
                    }
                }
                m.append(f("| %d | %s | %,d | %,d | %.0f | %s ms | %s ms |%n", step.path("clients").asInt(), MODES.get(mode), s.path("creates").asInt(),
                        s.path("errors").asInt(), s.path("per_second").asDouble(), number(s.path("max_ms"), "%.1f"), String.join(", ", rounds)));
            }
        }
        m.append(cpuPerCreate(p));
        m.append("\n| target | figure | met |\n|---|---|---|\n");
        for (JsonNode step : p.path("steps")) {
            int clients = step.path("clients").asInt();
            if (clients == 1 || clients == 10) {
                JsonNode ratio = step.path("ratio");
                boolean mean = ratio.path("mean").isNumber() && ratio.path("mean").asDouble() <= FLOOR_RATIO;
                boolean p50 = ratio.path("p50").isNumber() && ratio.path("p50").asDouble() <= FLOOR_RATIO;
                m.append(f("| idgate adds ≤ %.2f × what the echo adds, %d client%s | mean %s, p50 %s (p99 %s) | %s |%n", FLOOR_RATIO, clients, clients == 1 ? "" : "s",
                        number(ratio.path("mean"), "%.2f"), number(ratio.path("p50"), "%.2f"), number(ratio.path("p99"), "%.2f"),
                        mean && p50 ? "yes" : mean ? "at the mean only" : p50 ? "at p50 only" : "no"));
            }
        }
        for (JsonNode step : p.path("steps")) {
            if (step.path("clients").asInt() == 10) {
                JsonNode added = step.path("idgateAdded").path("p99_ms");
                m.append(f("| idgate adds < 2 ms to the pod-create p99 at 10 clients | %s ms (the echo adds %s ms) | %s |%n", number(added, "%+.2f"),
                        number(step.path("echoAdded").path("p99_ms"), "%+.2f"), added.isNumber() && added.asDouble() < 2 ? "yes" : "no"));
            }
        }
        m.append("\nKyverno's published k6 run (17 policies, 100 virtual users, 1 replica): 42.7 ms average, 141 ms max per pod create, end to end.\n\n");
        return m.toString();
    }

    private static final List<String> PROCESSES = List.of("kube-apiserver", "etcd", "idgate", "echo");

    /**
     * CPU per pod create of each process, per client count and mode (a mode's rounds taken together);
     * idgate runs in every mode (its informers follow the pods), the echo only answers in its own.
     */
    private static String cpuPerCreate(JsonNode p) {
        Map<String, double[]> sums = new java.util.LinkedHashMap<>(); // "clients|mode" -> µs per process, then creates
        for (JsonNode run : p.path("runs")) {
            if (!run.has("cpuMicros")) {
                return "";
            }
            double[] sum = sums.computeIfAbsent(run.path("clients").asInt() + "|" + run.path("mode").asText(), k -> new double[PROCESSES.size() + 1]);
            for (int i = 0; i < PROCESSES.size(); i++) {
                sum[i] += run.path("cpuMicros").path(PROCESSES.get(i)).asDouble();
            }
            sum[PROCESSES.size()] += run.path("creates").asDouble();
        }
        StringBuilder m = new StringBuilder(f("%nCPU time per pod create, by process (`/proc/PID/stat` before and after each run; a mode's rounds together):%n%n"
                + "| clients | mode | kube-apiserver | etcd | idgate | echo | all four |%n|---:|---|---:|---:|---:|---:|---:|%n"));
        Map<String, Double> totals = new java.util.HashMap<>();
        for (JsonNode step : p.path("steps")) {
            for (String mode : List.of("none", "echo", "idgate")) {
                double[] sum = sums.get(step.path("clients").asInt() + "|" + mode);
                if (sum == null || sum[PROCESSES.size()] == 0) {
                    continue;
                }
                double creates = sum[PROCESSES.size()];
                double total = 0;
                StringBuilder cells = new StringBuilder();
                for (int i = 0; i < PROCESSES.size(); i++) {
                    cells.append(f(" %.0f µs |", sum[i] / creates));
                    total += sum[i] / creates;
                }
                totals.put(step.path("clients").asInt() + "|" + mode, total);
                m.append(f("| %d | %s |%s %.0f µs |%n", step.path("clients").asInt(), MODES.get(mode), cells, total));
            }
        }
        for (JsonNode step : p.path("steps")) {
            int clients = step.path("clients").asInt();
            Double idgate = totals.get(clients + "|idgate");
            Double echo = totals.get(clients + "|echo");
            if (clients == 1 && idgate != null && echo != null) {
                double latency = (step.path("idgateAdded").path("mean_ms").asDouble() - step.path("echoAdded").path("mean_ms").asDouble()) * 1000;
                m.append(f("%nAt 1 client a pod create with idgate takes %+.0f µs of CPU (all four processes) beyond one with the echo, and %+.0f µs"
                        + " of latency beyond it (means).%n", idgate - echo, latency));
            }
        }
        return m.toString();
    }

    /** The target for idgate's added pod-create latency, as a multiple of the echo webhook's. */
    static final double FLOOR_RATIO = 1.25;

    private static final Map<String, String> MODES = Map.of("none", "no webhook", "echo", "echo", "idgate", "idgate");

    /** mean / p50 / p99 of a latency or added-latency node, in ms; {@code sign} "+" for differences. */
    private static String triple(JsonNode n, String sign) {
        String format = sign.isEmpty() ? "%.1f" : "%+.1f";
        return number(n.path("mean_ms"), format) + " / " + number(n.path("p50_ms"), format) + " / " + number(n.path("p99_ms"), format) + " ms";
    }

    /** A figure, or – where there is none (JSON null: no create succeeded, or a ratio over nothing). */
    private static String number(JsonNode n, String format) {
        return n.isNumber() ? f(format, n.asDouble()) : "–";
    }

    private static String codes(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add("`" + n.asText() + "`"));
        return String.join(", ", out);
    }

    private static String joined(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fields().forEachRemaining(e -> out.add("`" + e.getKey() + "` " + e.getValue().asText()));
        return String.join(", ", out);
    }

    /** Replaces the generated block of {@code doc}, keeping the prose around it. */
    static void writeInto(Path doc, String generated) throws IOException {
        writeInto(doc, generated, Bench.BEGIN, Bench.END);
    }

    /** Replaces the block between {@code beginMarker} and {@code endMarker} (appended at the end when missing). */
    static void writeInto(Path doc, String generated, String beginMarker, String endMarker) throws IOException {
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n";
        if (!text.contains(beginMarker)) {
            text = text.stripTrailing() + "\n\n" + beginMarker + "\n" + endMarker + "\n";
        }
        int begin = text.indexOf(beginMarker);
        int end = text.indexOf(endMarker);
        if (end < begin) {
            throw new IllegalStateException(doc + " has a broken generated block (" + beginMarker + " … " + endMarker + ")");
        }
        Files.writeString(doc, text.substring(0, begin + beginMarker.length()) + "\n\n" + generated + text.substring(end));
    }

    private static String curveName(String benchmark) {
        return switch (benchmark) {
            case "guardrailRules" -> "guardrail rules (`/validate/networkpolicies`, all apply)";
            case "defaultDenyPolicies" -> "NetworkPolicies in the namespace (`defaultDeny`)";
            case "serviceAccountsInCache" -> "ServiceAccounts in cache (`/mutate/pods`)";
            case "podLabels" -> "labels on the pod (`/mutate/pods`)";
            default -> benchmark;
        };
    }

    private static String heap(JsonNode r, String benchmark, int n) {
        String curve = switch (benchmark) {
            case "guardrailRules" -> "guardrailRules";
            case "defaultDenyPolicies" -> "networkPoliciesPerNamespace";
            case "serviceAccountsInCache" -> "serviceAccounts";
            default -> null;
        };
        for (JsonNode row : r.path("heapSteps")) {
            if (row.get("curve").asText().equals(curve) && row.get("n").asInt() == n) {
                return f("%,d KiB", row.get("heapKiB").asLong());
            }
        }
        return "–";
    }

    /** The environment and flags the servers ran with: {@code MALLOC_ARENA_MAX=2 -XX:+UseSerialGC …}. */
    static String jvmLine(JsonNode r) {
        StringBuilder s = new StringBuilder();
        r.path("jvmEnvironment").fields().forEachRemaining(e -> s.append(e.getKey()).append('=').append(e.getValue().asText()).append(' '));
        return s.append(String.join(" ", iterable(r.get("jvmFlags")))).toString().trim();
    }

    private static Iterable<String> iterable(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static double ms(JsonNode n, String field) {
        return n.get(field).asDouble() / 1000;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
