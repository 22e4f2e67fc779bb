package io.idgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.idgate.reach.ScaleWorlds;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make bench}: what idgate's live reachability world costs in memory (issue #15: RSS grows by
 * under 40 MiB with 5,000 pods and 500 policies in its informers). Through the e2e harness's real
 * kube-apiserver and its idgate (webhooks registered): first the same number of pods created and
 * deleted, so the JVM has grown its heap as admission load grows it; then the baseline (resident
 * memory, and heap after a full GC by {@code jcmd}); then 50 namespaces, 1,000 ServiceAccounts, the
 * pods (explicit names, each through idgate's webhooks) and the NetworkPolicies of the scale world;
 * then a server-side dry run whose preview can only name the last pod once idgate's informers hold
 * everything, and the same two readings. The pods are deleted afterwards (unscheduled pods go at once).
 */
public final class ReachMemoryBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NAMESPACES = 50;
    private static final int SERVICE_ACCOUNTS = 20;

    private ReachMemoryBench() {}

    /** @param jvm idgate's JVM flags (the shipped ones: the figure is of the Deployment as it runs) */
    public static ObjectNode run(int pods, int policies, List<String> jvm) throws Exception {
        E2eCluster cluster = E2eCluster.get();
        cluster.useIdgateJvm(jvm);
        Map<String, String> env = cluster.apiserverEnv();
        HttpClient client = HttpClient.newBuilder().sslContext(E2eCluster.trusting(Path.of(env.get("KUBE_E2E_CA")))).build();
        Api api = new Api(client, env.get("KUBE_E2E_APISERVER"), env.get("KUBE_E2E_TOKEN"));
        ObjectNode out = JSON.createObjectNode().put("pods", pods).put("policies", policies).put("idgateJvm", String.join(" ", jvm));
        long t0 = System.nanoTime();

        // the scale world's namespaces and policies; pods stand for its workloads one to one
        List<JsonNode> world = new ArrayList<>();
        try (var it = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(ScaleWorlds.yaml(pods, policies, 1, true))) {
            while (it.hasNextValue()) {
                world.add(it.nextValue());
            }
        }
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = "ns" + n;
            JsonNode namespace = world.stream().filter(o -> o.path("kind").asText().equals("Namespace") && o.path("metadata").path("name").asText().equals(ns))
                    .findFirst().orElseThrow();
            api.create("/api/v1/namespaces", namespace.toString());
            for (int sa = 0; sa < SERVICE_ACCOUNTS; sa++) {
                api.create("/api/v1/namespaces/" + ns + "/serviceaccounts", "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"sa" + sa + "\"}}");
            }
        }
        E2eCluster.log("memory bench: churn of %d pods", pods);
        api.pods(pods, "churn-", true);
        api.deletePods();
        long rssBeforeAtOnce = rssKiB(cluster.idgatePid());
        long rssBefore = settledRssKiB(cluster.idgatePid());
        long anonBefore = statusKiB(cluster.idgatePid(), "RssAnon");
        long fileBefore = statusKiB(cluster.idgatePid(), "RssFile");
        long heapBefore = heapAfterGc(cluster);
        histogram(cluster, "before");
        double[] committedBefore = committedMiB(cluster);

        E2eCluster.log("memory bench: %d pods, %d policies", pods, policies);
        long[] created = api.pods(pods, "w", false);
        int policyCount = 0;
        for (JsonNode o : world) {
            if (o.path("kind").asText().equals("NetworkPolicy")) {
                api.create("/apis/networking.k8s.io/v1/namespaces/" + o.path("metadata").path("namespace").asText() + "/networkpolicies", o.toString());
                policyCount++;
            }
        }
        int last = pods - 1;
        String probe = "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":{\"name\":\"probe\"},\"spec\":{\"podSelector\":"
                + "{\"matchLabels\":{\"app\":\"w" + last + "\"}},\"ingress\":[{}]}}";
        String lastIdentity = "ns" + (last % NAMESPACES) + "/sa" + (last % SERVICE_ACCOUNTS) + "[ServiceAccount]";
        long waitStart = System.nanoTime();
        E2eCluster.await("idgate's preview names the last pod (informers synced)",
                () -> {
                    try {
                        return api.dryRunWarnings("/apis/networking.k8s.io/v1/namespaces/ns" + (last % NAMESPACES) + "/networkpolicies", probe)
                                .stream().anyMatch(w -> w.contains(lastIdentity));
                    } catch (Exception e) {
                        return false;
                    }
                });
        List<String> warnings = api.dryRunWarnings("/apis/networking.k8s.io/v1/namespaces/ns" + (last % NAMESPACES) + "/networkpolicies", probe);
        long rssAfterAtOnce = rssKiB(cluster.idgatePid());
        long rssAfter = settledRssKiB(cluster.idgatePid());
        long anonAfter = statusKiB(cluster.idgatePid(), "RssAnon");
        long fileAfter = statusKiB(cluster.idgatePid(), "RssFile");
        long heapAfter = heapAfterGc(cluster);
        histogram(cluster, "after");
        double[] committedAfter = committedMiB(cluster);
        out.put("policiesCreated", policyCount).put("podsCreated", created[0]).put("podCreateErrors", created[1])
                .put("secondsUntilPreviewSawEverything", (System.nanoTime() - waitStart) / 1e9)
                .put("rssBeforeMiB", rssBefore / 1024.0).put("rssAfterMiB", rssAfter / 1024.0).put("rssGrowthMiB", (rssAfter - rssBefore) / 1024.0)
                .put("rssGrowthAtOnceMiB", (rssAfterAtOnce - rssBeforeAtOnce) / 1024.0).put("rssBeforeAtOnceMiB", rssBeforeAtOnce / 1024.0)
                .put("rssAfterAtOnceMiB", rssAfterAtOnce / 1024.0).put("peakRssMiB", statusKiB(cluster.idgatePid(), "VmHWM") / 1024.0)
                .put("rssAnonGrowthMiB", (anonAfter - anonBefore) / 1024.0).put("rssFileGrowthMiB", (fileAfter - fileBefore) / 1024.0)
                .put("heapAfterGcBeforeMiB", heapBefore / 1048576.0).put("heapAfterGcAfterMiB", heapAfter / 1048576.0)
                .put("heapGrowthMiB", (heapAfter - heapBefore) / 1048576.0).put("heapGrowthBytesPerPod", (heapAfter - heapBefore) / (double) pods)
                .put("heapCommittedBeforeMiB", committedBefore[0]).put("heapCommittedAfterMiB", committedAfter[0])
                .put("nonHeapCommittedBeforeMiB", committedBefore[1]).put("nonHeapCommittedAfterMiB", committedAfter[1])
                .put("previewLines", warnings.size()).put("seconds", (System.nanoTime() - t0) / 1e9);
        E2eCluster.log("memory bench: %s", out);
        api.deletePods();
        for (int n = 0; n < NAMESPACES; n++) {
            api.delete("/apis/networking.k8s.io/v1/namespaces/ns" + n + "/networkpolicies");
        }
        return out;
    }

    /**
     * VmRSS once it has settled: read every second until the JIT has compiled nothing for
     * {@link #QUIET_SECONDS} and the last three readings lie within 1 MiB (at most 90 s). Right after a
     * burst C2 is still compiling what the burst ran: its arenas reach 30 MiB, go back to the JVM's
     * chunk pool when it is done, and from there to the C library (cleaned every 5 s) and the system
     * ({@code TrimNativeHeapInterval}). Readings within 1 MiB alone were fooled by one long compile
     * (an 18 MiB arena read as settled). The reading at once is kept beside it.
     */
    static long settledRssKiB(long pid) throws IOException, InterruptedException {
        long[] last = {rssKiB(pid), -1, -1};
        int quiet = 0;
        for (int i = 0; i < 90; i++) {
            Thread.sleep(1000);
            quiet = compiling(pid) ? 0 : quiet + 1;
            last[2] = last[1];
            last[1] = last[0];
            last[0] = rssKiB(pid);
            if (quiet >= QUIET_SECONDS && last[2] >= 0
                    && Math.max(last[0], Math.max(last[1], last[2])) - Math.min(last[0], Math.min(last[1], last[2])) < 1024) {
                break;
            }
        }
        return last[0];
    }

    private static final int QUIET_SECONDS = 8;

    /** True while the JIT compiles or has methods queued ({@code jcmd PID Compiler.queue}). */
    static boolean compiling(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), "Compiler.queue").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return compiling(out);
    }

    /** The report of {@code Compiler.queue}: a line under "Current compiles:" before the blank line, or a queue not "Empty". */
    static boolean compiling(String queueReport) {
        String[] lines = queueReport.split("\\R");
        boolean current = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.startsWith("Current compiles:")) {
                current = true;
            } else if (current && line.isEmpty()) {
                current = false;
            } else if (current) {
                return true;
            } else if (line.endsWith("compile queue:") && i + 1 < lines.length && !lines[i + 1].trim().equals("Empty")) {
                return true;
            }
        }
        return false;
    }

    /** VmRSS of a process, KiB. */
    static long rssKiB(long pid) throws IOException {
        return statusKiB(pid, "VmRSS");
    }

    /** A field of {@code /proc/PID/status} in KiB: VmRSS, RssAnon (the process's own memory), RssFile (mapped files: jars, the JDK's modules). */
    static long statusKiB(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IOException("no " + field + " for process " + pid);
    }

    /**
     * The heap's classes by bytes ({@code jcmd PID GC.class_histogram}), kept in
     * {@code target/bench/reach-memory-histogram-<when>.txt}, and when idgate runs with
     * {@code -XX:NativeMemoryTracking=summary} the JVM's own account of its memory in
     * {@code reach-memory-nmt-<when>.txt}, and the process's mappings with their resident sizes
     * ({@code /proc/PID/smaps}) in {@code reach-memory-smaps-<when>.txt}: where the growth went.
     */
    static void histogram(E2eCluster cluster, String when) throws Exception {
        for (String[] what : List.of(new String[] {"GC.class_histogram", "histogram"}, new String[] {"VM.native_memory", "nmt"})) {
            Process p = new ProcessBuilder("jcmd", Long.toString(cluster.idgatePid()), what[0]).redirectErrorStream(true)
                    .redirectOutput(io.idgate.bench.Bench.OUT.resolve("reach-memory-" + what[1] + "-" + when + ".txt").toFile()).start();
            p.waitFor();
        }
        // resident memory by mapping: what of the growth is heap, code, stacks or the C heap (the JVM tracks only its own)
        Files.copy(Path.of("/proc/" + cluster.idgatePid() + "/smaps"), io.idgate.bench.Bench.OUT.resolve("reach-memory-smaps-" + when + ".txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)", Pattern.MULTILINE);

    private static final Pattern COMMITTED = Pattern.compile("^jvm_memory_committed_bytes\\{[^}]*area=\"(heap|nonheap)\"[^}]*\\} (\\S+)", Pattern.MULTILINE);

    /** Memory the JVM has committed, {heap, non-heap} MiB, from idgate's own metrics: what resident memory is mostly made of. */
    static double[] committedMiB(E2eCluster cluster) throws Exception {
        Matcher m = COMMITTED.matcher(cluster.metrics());
        double[] out = new double[2];
        while (m.find()) {
            out[m.group(1).equals("heap") ? 0 : 1] += Double.parseDouble(m.group(2)) / 1048576.0;
        }
        return out;
    }

    /** Heap in use after a full collection ({@code jcmd PID GC.run}), from idgate's own metrics. */
    static long heapAfterGc(E2eCluster cluster) throws Exception {
        Process gc = new ProcessBuilder("jcmd", Long.toString(cluster.idgatePid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor();
        Thread.sleep(500);
        Matcher m = HEAP.matcher(cluster.metrics());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return (long) sum;
    }

    private record Api(HttpClient client, String apiserver, String token) {

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(apiserver + path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        }

        int create(String path, String body) throws Exception {
            int status = client.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 201 && status != 409) {
                throw new IllegalStateException("POST " + path + " answered " + status);
            }
            return status;
        }

        void delete(String path) throws Exception {
            client.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }

        /** Creates {@code count} pods named {@code prefix<i>} over the namespaces, 8 at a time; {created, errors}. */
        long[] pods(int count, String prefix, boolean quiet) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int n = i;
                    results.add(pool.submit(() -> {
                        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + prefix + n + "\",\"labels\":{\"app\":\"w" + n
                                + "\",\"tier\":\"t" + (n % 5) + "\"}},\"spec\":{\"serviceAccountName\":\"sa" + (n % SERVICE_ACCOUNTS)
                                + "\",\"containers\":[{\"name\":\"app\",\"image\":\"registry.example.com/app:1\",\"ports\":[{\"name\":\"http\",\"containerPort\":"
                                + (8000 + n % 3) + "}]}]}}";
                        return client.send(request("/api/v1/namespaces/ns" + (n % NAMESPACES) + "/pods").POST(HttpRequest.BodyPublishers.ofString(pod)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                    }));
                }
                long ok = 0;
                long errors = 0;
                for (Future<Integer> r : results) {
                    if (r.get() == 201) {
                        ok++;
                    } else {
                        errors++;
                    }
                }
                return new long[] {ok, errors};
            } finally {
                pool.shutdownNow();
            }
        }

        void deletePods() throws Exception {
            for (int n = 0; n < NAMESPACES; n++) {
                delete("/api/v1/namespaces/ns" + n + "/pods");
            }
        }

        /** The Warning headers of a server-side dry-run create of {@code body} at {@code path}. */
        List<String> dryRunWarnings(String path, String body) throws Exception {
            HttpResponse<String> r = client.send(request(path + "?dryRun=All").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.headers().allValues("Warning");
        }
    }
}
