package io.idgate.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.ReachWorlds;
import io.idgate.guardrails.InvariantTimings;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.ManifestReader;
import io.idgate.reach.PreviewTimings;
import io.idgate.reach.ReachBenchmark;
import io.idgate.reach.Reachability;
import io.idgate.reach.ScaleWorlds;
import io.idgate.testing.Timings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The reachability part of {@code make bench}: in-process curves (workloads 100 → 5,000 at 500
 * policies, policies 10 → 2,000 at 2,000 workloads: load, compute, list, and the heap the result holds),
 * and {@code idgate reach list} of 2,000 workloads and 500 policies as a whole process, JVM start
 * included, as a user runs it. The worlds are {@link ScaleWorlds}' (50 namespaces, a default-deny each,
 * the policy shapes real clusters hold), written to files and read back through the CLI's own loader.
 */
final class ReachBench {

    private static final IdentityDeriver DERIVER = new IdentityDeriver(IdentityConfig.DEFAULTS);

    private ReachBench() {}

    static void run(ObjectNode results, boolean quick, String jar, Path out) throws Exception {
        ObjectNode reach = results.putObject("reach");
        ArrayNode curves = reach.putArray("curves");
        int rounds = quick ? 1 : 3;
        for (int workloads : quick ? new int[] {100, 1_000} : new int[] {100, 500, 1_000, 2_000, 5_000}) {
            curves.add(point(out, "workloads", workloads, 500, rounds, true));
        }
        for (int policies : quick ? new int[] {10, 500} : new int[] {10, 100, 500, 1_000, 2_000}) {
            curves.add(point(out, "policies", 2_000, policies, rounds, true));
        }
        // no default-deny anywhere: most pairs stay open, the output-heavy case
        curves.add(point(out, "open", 2_000, 500, rounds, false));
        if (!quick) {
            curves.add(point(out, "open", 5_000, 2_000, 1, false));
        }
        ArrayNode cli = reach.putArray("cli");
        cli.add(cli(out, jar, quick ? 2 : 5, true));
        cli.add(cli(out, jar, quick ? 2 : 3, false));
        reach.set("jmh", jmh(quick));
        ArrayNode admission = reach.putArray("admission");
        for (int workloads : quick ? new int[] {1_000} : new int[] {1_000, 2_500, 5_000}) {
            admission.add(admission(workloads, workloads / 10));
        }
    }

    /**
     * One point of the admission curves: what a NetworkPolicy review pays for the preview and the
     * invariants, and a pod CREATE for the invariants, on a live world of {@code workloads} workloads
     * ({@link PreviewTimings}, {@link InvariantTimings}), and the heap the live state holds.
     */
    private static ObjectNode admission(int workloads, int policies) throws Exception {
        PreviewTimings preview = PreviewTimings.measure(workloads, policies);
        InvariantTimings invariants = InvariantTimings.measure(workloads, policies);
        ObjectNode row = Bench.JSON.createObjectNode().put("workloads", workloads).put("policies", policies);
        put(row, "preview", preview.all());
        put(row, "previewNewBounds", preview.newBounds());
        put(row, "staleRebuildAndPreview", preview.stale());
        put(row, "previewAfterAPodJoined", preview.afterPod());
        put(row, "invariantsOnPolicyChange", invariants.onPolicyChange());
        put(row, "invariantsPodOutside", invariants.podOutside());
        put(row, "invariantsPodProtected", invariants.podProtected());
        put(row, "invariantsPodStream", invariants.podStream());
        row.put("liveHeapMiB", preview.liveHeapMiB());
        System.out.printf("[bench] admission, %d workloads, %d policies: preview %s (after a pod joined: %s); invariants on a pod CREATE %s (protected: %s;"
                + " in a stream: %s); live state %.1f MiB%n", workloads, policies, preview.all(), preview.afterPod(), invariants.podOutside(),
                invariants.podProtected(), invariants.podStream(), preview.liveHeapMiB());
        return row;
    }

    private static void put(ObjectNode row, String name, Timings t) {
        row.putObject(name).put("count", t.count()).put("p50Ms", t.p50Ms()).put("p99Ms", t.p99Ms()).put("maxMs", t.maxMs());
    }

    /**
     * JMH: the delta of one NetworkPolicy change (what the admission preview pays per review) on
     * 1,000- and 5,000-workload worlds with 2,000 policies, and a full list of 2,000 × 500, in a JVM
     * capped at 512 MiB of heap (the memory target: a 5,000-workload world with every row computed fits).
     */
    private static ArrayNode jmh(boolean quick) throws Exception {
        var options = new OptionsBuilder().include(ReachBenchmark.class.getName()).forks(1)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 1 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgsAppend("-Xmx512m").build();
        ArrayNode rows = Bench.JSON.createArrayNode();
        for (RunResult r : new Runner(options).run()) {
            ObjectNode row = rows.addObject();
            String label = r.getParams().getBenchmark();
            row.put("benchmark", label.substring(label.lastIndexOf('.') + 1));
            for (String key : r.getParams().getParamsKeys()) {
                row.put(key, r.getParams().getParam(key));
            }
            row.put("ms", r.getPrimaryResult().getScore()).put("errorMs", r.getPrimaryResult().getScoreError());
        }
        return rows;
    }

    /** One point of a curve: the median of {@code rounds} runs of load + compute + list, and the heap held after. */
    private static ObjectNode point(Path out, String curve, int workloads, int policies, int rounds, boolean defaultDeny) throws IOException {
        Path file = world(out, workloads, policies, defaultDeny);
        long[] load = new long[rounds];
        long[] compute = new long[rounds];
        long[] list = new long[rounds];
        long edges = 0;
        long heap = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            var loaded = ReachWorlds.of(ClusterObjects.of(ManifestReader.read(file), "default"), DERIVER);
            long t1 = System.nanoTime();
            Reachability r = Reachability.of(loaded.world(), DERIVER.keys());
            long t2 = System.nanoTime();
            long[] n = {0, 0};
            StringBuilder line = new StringBuilder();
            r.forEachEdge(e -> { // what list prints, without the terminal
                line.setLength(0);
                line.append(e.src()).append(" => ").append(e.dst()).append(" : ").append(e.conns());
                n[0]++;
                n[1] += line.length();
            });
            long t3 = System.nanoTime();
            load[i] = t1 - t0;
            compute[i] = t2 - t1;
            list[i] = t3 - t2;
            edges = n[0];
            heap = Math.max(heap, io.idgate.testing.Heap.used());
            if (r.classCount() < 0) {
                System.out.print(""); // keeps r reachable until the heap is read
            }
        }
        ObjectNode row = Bench.JSON.createObjectNode();
        row.put("curve", curve).put("workloads", workloads).put("policies", policies).put("edges", edges)
                .put("loadMs", median(load) / 1e6).put("computeMs", median(compute) / 1e6).put("listMs", median(list) / 1e6)
                .put("heapMiB", heap / (1024 * 1024));
        System.out.printf("[bench] reach %s: %d workloads, %d policies: load %.0f ms, compute %.0f ms, list %.0f ms (%d edges), heap %d MiB%n",
                curve, workloads, policies, median(load) / 1e6, median(compute) / 1e6, median(list) / 1e6, edges, heap / (1024 * 1024));
        return row;
    }

    /** {@code idgate reach list} as a process: JVM start, read, compute, print to a file. */
    private static ObjectNode cli(Path out, String jar, int runs, boolean defaultDeny) throws Exception {
        Path file = world(out, 2_000, 500, defaultDeny);
        long[] wall = new long[runs];
        for (int i = 0; i < runs; i++) {
            List<String> cmd = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, "reach", "list",
                    file.toString()));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(out.resolve("reach-list.txt").toFile())
                    .redirectError(out.resolve("reach-list.err").toFile()).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("idgate reach list failed; see " + out.resolve("reach-list.err"));
            }
            wall[i] = System.nanoTime() - t0;
        }
        ObjectNode row = Bench.JSON.createObjectNode();
        row.put("workloads", 2_000).put("policies", 500).put("defaultDeny", defaultDeny).put("runs", runs).put("medianWallSeconds", median(wall) / 1e9)
                .put("minWallSeconds", Arrays.stream(wall).min().orElse(0) / 1e9).put("maxWallSeconds", Arrays.stream(wall).max().orElse(0) / 1e9)
                .put("flags", "bin/idgate's: -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        System.out.printf("[bench] idgate reach list, 2,000 workloads and 500 policies%s, whole process: median %.2f s of %d runs%n",
                defaultDeny ? "" : " (open)", median(wall) / 1e9, runs);
        return row;
    }

    /** The reachability block of docs/benchmarks.md, from {@code results.reach}. */
    static void writeDoc(ObjectNode results, Path doc) throws IOException {
        var reach = results.path("reach");
        var mem = results.path("reachMemory");
        if (!mem.isMissingNode()) {
            BenchReport.writeInto(doc, memory(mem), "<!-- BEGIN GENERATED reach-memory by make bench: do not edit by hand -->",
                    "<!-- END GENERATED reach-memory -->");
        }
        if (reach.isMissingNode()) {
            return; // a run of other parts only: the curves in the document stay as they are
        }
        StringBuilder m = new StringBuilder();
        m.append(String.format("Run of %s%s; 1-minute load at start %.2f on %d cores.%n%n", results.path("date").asText(),
                results.path("quick").asBoolean() ? " (**--quick: harness check, not figures to publish**)" : "",
                results.path("machine").path("load1AtStart").asDouble(), results.path("machine").path("cpus").asInt()));
        m.append("| curve | workloads | policies | edges | load ms | compute ms | list ms | heap MiB |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var row : reach.path("curves")) {
            m.append(String.format("| %s | %,d | %,d | %,d | %.0f | %.0f | %.0f | %d |%n", row.path("curve").asText(), row.path("workloads").asInt(),
                    row.path("policies").asInt(), row.path("edges").asLong(), row.path("loadMs").asDouble(), row.path("computeMs").asDouble(),
                    row.path("listMs").asDouble(), row.path("heapMiB").asInt()));
        }
        m.append("\n`open`: no default-deny anywhere, so most pairs stay open (the output-heavy case).\n\n");
        for (var cli : reach.path("cli")) {
            m.append(String.format("`idgate reach list` of %,d workloads and %,d policies%s as a whole process (JVM start included, output to a"
                    + " file): median %.2f s (min %.2f, max %.2f) of %d runs; target under 5 s.%n%n", cli.path("workloads").asInt(),
                    cli.path("policies").asInt(), cli.path("defaultDeny").asBoolean() ? ", default-deny in every namespace" : ", open",
                    cli.path("medianWallSeconds").asDouble(), cli.path("minWallSeconds").asDouble(), cli.path("maxWallSeconds").asDouble(),
                    cli.path("runs").asInt()));
        }
        m.append("| JMH (heap capped at 512 MiB) | workloads | scope | ms per operation | ± |\n|---|---:|---|---:|---:|\n");
        for (var row : reach.path("jmh")) {
            m.append(String.format("| %s | %s | %s | %.2f | %.2f |%n", row.path("benchmark").asText(), row.path("workloads").asText(""),
                    row.path("scope").asText(""), row.path("ms").asDouble(), row.path("errorMs").asDouble()));
        }
        m.append("\n`policyChange` is the delta of one NetworkPolicy change (what the admission preview pays per review; target under 20 ms"
                + " at 5,000 workloads); `list` computes every edge of 2,000 workloads and 500 policies.\n\n");
        m.append("At admission (warm; second of two rounds of 500 NetworkPolicy changes, 200 pod CREATEs; one deny invariant protecting"
                + " one namespace of 50; 300 pods joining one at a time). p50 / p99 in ms:\n\n| workloads | policies | preview | preview, new CIDR bounds"
                + " | a pod joined: follow it + preview | a namespace changed: rebuild + preview | invariants on a policy change | pod CREATE outside protected"
                + " | pod CREATE of a protected identity | pod CREATE in a stream: follow the pod before + check | live state heap MiB |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var row : reach.path("admission")) {
            m.append(String.format("| %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %.1f |%n", row.path("workloads").asInt(), row.path("policies").asInt(),
                    cell(row, "preview"), cell(row, "previewNewBounds"), cell(row, "previewAfterAPodJoined"), cell(row, "staleRebuildAndPreview"),
                    cell(row, "invariantsOnPolicyChange"), cell(row, "invariantsPodOutside"), cell(row, "invariantsPodProtected"),
                    cell(row, "invariantsPodStream"), row.path("liveHeapMiB").asDouble()));
        }
        m.append("\nTargets at 5,000 workloads: preview p99 under 5 ms, invariants on a pod CREATE p99 under 1 ms.\n\n");
        BenchReport.writeInto(doc, m.toString(), "<!-- BEGIN GENERATED reach by make bench: do not edit by hand -->",
                "<!-- END GENERATED reach -->");
    }

    /** The live world's memory through the real kube-apiserver ({@code results.reachMemory}, {@link io.idgate.e2e.ReachMemoryBench}). */
    private static String memory(com.fasterxml.jackson.databind.JsonNode mem) {
        return String.format("Memory of the live world, through the real kube-apiserver (`--only-reach-memory`): with %,d pods and %,d"
                + " NetworkPolicies created in it (idgate's informers and reachability state), idgate's resident memory grew by %.1f MiB"
                + " (%.0f → %.0f MiB, each read once it had settled: the JIT idle 8 s and three readings a second apart within 1 MiB;"
                + " target under 40 MiB%s) and its heap after a full GC by %.1f MiB"
                + " (%.0f bytes a pod), after the same"
                + " number of pods was created and deleted first so the heap had grown as admission load grows it. idgate ran with the"
                + " shipped JVM flags (`%s`). Committed heap went %.0f → %.0f MiB and committed non-heap %.0f → %.0f MiB.%n%n",
                mem.path("podsCreated").asInt(), mem.path("policiesCreated").asInt(), mem.path("rssGrowthMiB").asDouble(),
                mem.path("rssBeforeMiB").asDouble(), mem.path("rssAfterMiB").asDouble(),
                mem.has("rssGrowthAtOnceMiB") ? String.format("; read at once, right after the last preview, %.1f MiB (%.0f → %.0f); peak of the"
                        + " whole run %.0f MiB", mem.path("rssGrowthAtOnceMiB").asDouble(), mem.path("rssBeforeAtOnceMiB").asDouble(),
                        mem.path("rssAfterAtOnceMiB").asDouble(), mem.path("peakRssMiB").asDouble()) : "",
                mem.path("heapGrowthMiB").asDouble(),
                mem.path("heapGrowthBytesPerPod").asDouble(), mem.path("idgateJvm").asText("-Xmx256m"),
                mem.path("heapCommittedBeforeMiB").asDouble(), mem.path("heapCommittedAfterMiB").asDouble(),
                mem.path("nonHeapCommittedBeforeMiB").asDouble(), mem.path("nonHeapCommittedAfterMiB").asDouble());
    }

    private static String cell(com.fasterxml.jackson.databind.JsonNode row, String name) {
        return String.format("%.2f / %.2f", row.path(name).path("p50Ms").asDouble(), row.path(name).path("p99Ms").asDouble());
    }

    private static Path world(Path out, int workloads, int policies, boolean defaultDeny) throws IOException {
        Path file = out.resolve("reach-worlds").resolve(workloads + "-workloads-" + policies + "-policies" + (defaultDeny ? "" : "-open") + ".yaml");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, ScaleWorlds.yaml(workloads, policies, 1, defaultDeny));
        }
        return file;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
