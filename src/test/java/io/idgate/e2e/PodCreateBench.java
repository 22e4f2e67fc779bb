package io.idgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.admission.AdmissionResponses;
import io.idgate.admission.AdmissionReviewEncoder;
import io.idgate.bench.BaselineServer;
import io.idgate.bench.Bench;
import io.idgate.e2e.PodCreatePlan.Added;
import io.idgate.e2e.PodCreatePlan.Latency;
import io.idgate.e2e.PodCreatePlan.Mode;
import io.idgate.e2e.PodCreatePlan.Ratio;
import io.idgate.e2e.PodCreatePlan.Run;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make bench}, pod creates through the real kube-apiserver of the e2e harness ({@link E2eCluster})
 * in three modes: no webhook; an echo webhook, the floor (bare Vert.x answering each review with
 * its uid and the bytes idgate answers for the same pod, {@link BaselineServer} {@code --echo-uid});
 * and idgate. Both webhooks are registered by idgate's own webhook configurations, only the URL
 * differs, so the API server does the same work for both (same calls, TLS with the same certificates,
 * same patch to apply) and what idgate adds beyond the echo is idgate's own cost. Clients create pods
 * back to back over one HTTP/2 connection, as client-go does; the modes are interleaved
 * ({@link PodCreatePlan#schedule}).
 */
public final class PodCreateBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One namespace for every run: idgate's patch names it, and the echo answers one recorded patch. */
    private static final String NS = "bench-pod-create";
    private static final Pattern REQUESTS = Pattern.compile("(?m)^idgate_admission_requests_total\\{([^}]*)\\} (\\S+)$");
    private static final Pattern WEBHOOK = Pattern.compile("webhook=\"([^\"]+)\"");
    private static final String SHARD = "bench-shard";
    private static final int SHARDS = 8;

    private PodCreateBench() {}

    /** True when the harness can start a kube-apiserver here (KUBE_ASSETS set, etcd installed). */
    public static boolean available() {
        return System.getenv("KUBE_ASSETS") != null && Files.isExecutable(Path.of("/usr/bin/etcd"));
    }

    /**
     * {@code rounds} rounds of {@code seconds} per mode and client count, after {@code warmupSeconds} of each webhook.
     *
     * @param idgateJvm idgate's JVM flags (and the echo's), or null for the harness's
     */
    public static ObjectNode run(int seconds, int rounds, int warmupSeconds, int[] clientCounts, List<String> idgateJvm) throws Exception {
        long t0 = System.nanoTime();
        E2eCluster cluster = E2eCluster.get();
        if (idgateJvm != null) {
            cluster.useIdgateJvm(idgateJvm);
        }
        cluster.namespace(NS);
        Map<String, String> env = cluster.apiserverEnv();
        Api api = new Api(HttpClient.newBuilder().sslContext(E2eCluster.trusting(Path.of(env.get("KUBE_E2E_CA")))).build(),
                env.get("KUBE_E2E_APISERVER"), env.get("KUBE_E2E_TOKEN"));
        Echo echo = Echo.start(cluster);
        Servers servers = new Servers(cluster, echo, api);
        ObjectNode out = JSON.createObjectNode();
        Set<String> paths = null;
        try {
            out.put("apiserver", "kube-apiserver v1.20.2");
            out.put("secondsPerRun", seconds);
            out.put("rounds", rounds);
            out.put("warmupSecondsPerWebhook", warmupSeconds);
            out.put("load1AtStart", Bench.loadavg());
            out.put("echoJvmFlags", String.join(" ", cluster.idgateJvm()));

            // the harness registered idgate: one create says which paths a pod create calls
            Probe first = servers.probe();
            if (first.labels() == null || first.idgateCalled().isEmpty() || !first.echoCalled().isEmpty()) {
                throw new IllegalStateException("a pod create did not call idgate alone: " + first);
            }
            paths = first.idgateCalled();
            out.set("pathsPerCreate", JSON.valueToTree(paths));
            out.set("echoAnswerBytes", servers.teachEcho(paths, first.labels()));

            for (Mode mode : List.of(Mode.IDGATE, Mode.ECHO)) {
                servers.switchTo(mode, paths);
                System.out.printf("[bench] pod creates: warming %s for %d s%n", mode.key(), warmupSeconds);
                api.load(new Run(10, -1, mode), warmupSeconds);
                api.deletePods();
            }

            Set<Mode> profiledModes = EnumSet.noneOf(Mode.class);
            ArrayNode runs = out.putArray("runs");
            Map<Integer, Map<Mode, List<Api.Result>>> results = new TreeMap<>();
            for (Run run : PodCreatePlan.schedule(clientCounts, rounds)) {
                ObjectNode row = runs.addObject();
                row.put("clients", run.clients()).put("round", run.round()).put("mode", run.mode().key());
                row.put("switch_ms", servers.switchTo(run.mode(), paths));
                row.put("load1", Bench.loadavg());
                Map<String, Duration> cpuBefore = servers.cpu();
                Long profiled = profiledPid(run, servers, profiledModes);
                if (profiled != null) {
                    profiler(profiled, "start,event=cpu,interval=1ms");
                }
                Api.Result r = api.load(run, seconds);
                Map<String, Duration> cpuAfter = servers.cpu();
                if (profiled != null) {
                    Path collapsed = PROFILE_DIR.resolve("pod-create-" + run.mode().key() + "-1-client.collapsed");
                    profiler(profiled, "stop,file=" + collapsed.toAbsolutePath() + ",collapsed");
                    Files.writeString(Path.of(collapsed + ".requests"), Long.toString((long) r.nanos().length * paths.size()));
                    System.out.printf("[bench] profile of %s at 1 client: %s%n", run.mode().key(), collapsed);
                }
                ObjectNode cpu = row.putObject("cpuMicros");
                cpuAfter.forEach((process, total) -> cpu.put(process, total.minus(cpuBefore.get(process)).toNanos() / 1000));
                row.put("per_second", r.nanos().length / (double) seconds);
                latency(row, Latency.of(r.nanos(), r.errors()));
                if (!r.errorStatuses().isEmpty()) {
                    row.set("errorStatuses", JSON.valueToTree(r.errorStatuses()));
                }
                long c0 = System.nanoTime();
                api.deletePods();
                row.put("cleanup_ms", (System.nanoTime() - c0) / 1_000_000);
                results.computeIfAbsent(run.clients(), c -> new EnumMap<>(Mode.class)).computeIfAbsent(run.mode(), m -> new ArrayList<>()).add(r);
                System.out.printf("[bench] pod creates, %d clients, round %d, %s: %d creates, %d errors, mean %.2f ms, p50 %.2f ms, p99 %.2f ms (load %.2f)%n",
                        run.clients(), run.round(), run.mode().key(), r.nanos().length, r.errors(), row.path("mean_ms").asDouble(),
                        row.path("p50_ms").asDouble(), row.path("p99_ms").asDouble(), row.path("load1").asDouble());
            }
            out.set("steps", steps(results, seconds));
        } finally {
            try {
                if (paths != null) {
                    // leave the harness as found: idgate registered (later parts create pods through it)
                    servers.switchTo(Mode.IDGATE, paths);
                    api.deletePods();
                }
            } finally {
                echo.stop();
            }
        }
        out.put("elapsedSeconds", (System.nanoTime() - t0) / 1e9);
        return out;
    }

    /**
     * With {@code BENCH_PROFILE_DIR} set, the first 1-client run of idgate and of the echo is profiled
     * (async-profiler, CPU, collapsed stacks there; bench/profile/partition.py splits them into parts). The
     * profiler's own cost lands in those two runs: publish figures from a run without it.
     */
    private static final Path PROFILE_DIR = System.getenv("BENCH_PROFILE_DIR") == null ? null : Path.of(System.getenv("BENCH_PROFILE_DIR"));

    /** The process to profile during {@code run}, or null. */
    private static Long profiledPid(Run run, Servers servers, Set<Mode> profiled) {
        if (PROFILE_DIR == null || run.clients() != 1 || run.mode() == Mode.NONE || !profiled.add(run.mode())) {
            return null;
        }
        return run.mode() == Mode.IDGATE ? servers.cluster().idgatePid() : servers.echo().process().pid();
    }

    /** Loads async-profiler into {@code pid} with {@code command} (bench/profile/Attach.java; the library review-cpu.sh fetches). */
    private static void profiler(long pid, String command) throws Exception {
        Path lib = E2eCluster.ROOT.resolve("target/bench/async-profiler/linux-x64/libasyncProfiler.so");
        if (!Files.exists(lib)) {
            throw new IllegalStateException(lib + " is missing: run bench/profile/review-cpu.sh once to fetch async-profiler");
        }
        Files.createDirectories(PROFILE_DIR);
        Process p = new ProcessBuilder("java", E2eCluster.ROOT.resolve("bench/profile/Attach.java").toString(), Long.toString(pid), lib.toString(), command)
                .inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("async-profiler could not be loaded into " + pid + " (" + command + ")");
        }
    }

    /** Per client count: each mode's runs taken together, what each webhook adds over none, and the ratio. */
    private static ArrayNode steps(Map<Integer, Map<Mode, List<Api.Result>>> results, int seconds) {
        ArrayNode steps = JSON.createArrayNode();
        results.forEach((clients, byMode) -> {
            ObjectNode step = steps.addObject();
            step.put("clients", clients);
            Map<Mode, Latency> latencies = new EnumMap<>(Mode.class);
            byMode.forEach((mode, runs) -> {
                Latency l = Latency.of(runs.stream().map(Api.Result::nanos).toList(), runs.stream().mapToInt(Api.Result::errors).sum());
                latencies.put(mode, l);
                latency(step.putObject(mode.key()), l).put("per_second", l.creates() / ((double) seconds * runs.size()));
            });
            Added echoAdded = Added.over(latencies.get(Mode.ECHO), latencies.get(Mode.NONE));
            Added idgateAdded = Added.over(latencies.get(Mode.IDGATE), latencies.get(Mode.NONE));
            added(step.putObject("echoAdded"), echoAdded);
            added(step.putObject("idgateAdded"), idgateAdded);
            Ratio ratio = Ratio.of(idgateAdded, echoAdded);
            ObjectNode r = step.putObject("ratio");
            number(r, "mean", ratio.mean());
            number(r, "p50", ratio.p50());
            number(r, "p99", ratio.p99());
        });
        return steps;
    }

    private static ObjectNode latency(ObjectNode node, Latency l) {
        node.put("creates", l.creates());
        node.put("errors", l.errors());
        number(node, "mean_ms", l.meanMs());
        number(node, "p50_ms", l.p50Ms());
        number(node, "p99_ms", l.p99Ms());
        number(node, "max_ms", l.maxMs());
        return node;
    }

    private static void added(ObjectNode node, Added a) {
        number(node, "mean_ms", a.meanMs());
        number(node, "p50_ms", a.p50Ms());
        number(node, "p99_ms", a.p99Ms());
    }

    /** NaN (no figure) as null: JSON has no NaN. */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    /** What one pod create reached: the paths each server was called on, and the labels the pod was created with. */
    record Probe(Set<String> echoCalled, Set<String> idgateCalled, JsonNode labels) {}

    /** The two webhook servers and the API server, as the bench switches between them. */
    private record Servers(E2eCluster cluster, Echo echo, Api api) {

        /** Registers {@code mode}'s server and waits until a pod create reaches only it; the milliseconds that took. */
        long switchTo(Mode mode, Set<String> paths) {
            switch (mode) {
                case NONE -> cluster.deleteWebhookConfigurations();
                case ECHO -> cluster.applyDocuments(cluster.webhookConfigurations(echo.url()));
                case IDGATE -> cluster.applyDocuments(cluster.webhookConfigurations("https://127.0.0.1:" + cluster.port()));
            }
            long t0 = System.nanoTime();
            E2eCluster.await("pod creates reach only " + mode.key(), () -> {
                Probe p = probe();
                return p.labels() != null && PodCreatePlan.answeredOnlyBy(mode, paths, p.echoCalled(), p.idgateCalled());
            });
            return (System.nanoTime() - t0) / 1_000_000;
        }

        /**
         * CPU time each process of the bench has used so far (kernel and user; {@code /proc/PID/stat}
         * through {@link ProcessHandle}): the API server and etcd (their pid files of e2e/kube.sh),
         * idgate and the echo.
         */
        Map<String, Duration> cpu() throws IOException {
            Map<String, Duration> out = new TreeMap<>();
            out.put("kube-apiserver", cpu(Long.parseLong(Files.readString(E2eCluster.DIR.resolve("kube/apiserver.pid")).trim())));
            out.put("etcd", cpu(Long.parseLong(Files.readString(E2eCluster.DIR.resolve("kube/etcd.pid")).trim())));
            out.put("idgate", cpu(cluster.idgatePid()));
            out.put("echo", cpu(echo.process().pid()));
            return out;
        }

        private static Duration cpu(long pid) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                    .orElseThrow(() -> new IllegalStateException("no CPU time for process " + pid + " (gone?)"));
        }

        /** Creates one pod (the bench's pod, its own name) and reads which server counted a review for it. */
        Probe probe() {
            Map<String, Long> echoBefore = echo.requests();
            Map<String, Long> idgateBefore = idgateRequests();
            JsonNode created = api.createProbe();
            return new Probe(called(echoBefore, echo.requests()), called(idgateBefore, idgateRequests()),
                    created == null ? null : created.path("metadata").path("labels"));
        }

        /**
         * Sets the echo's answers to idgate's for the bench's pod, from the reviews the API server sent
         * the echo, and checks that a pod created through the echo gets {@code idgateLabels}. Two passes:
         * the validating webhooks see idgate's patch only once the echo answers the mutating call with it.
         */
        ObjectNode teachEcho(Set<String> paths, JsonNode idgateLabels) throws Exception {
            switchTo(Mode.ECHO, paths);
            ObjectNode sizes = JSON.createObjectNode();
            for (int pass = 0; pass < 2; pass++) {
                if (pass > 0) {
                    probe();
                }
                for (String path : paths) {
                    HttpResponse<byte[]> answer = idgateAnswer(path, echo.last(path));
                    boolean allowed = answer.statusCode() == 200 && JSON.readTree(answer.body()).path("response").path("allowed").asBoolean();
                    if (allowed) {
                        echo.answer(path, answer.body());
                        sizes.put(path, answer.body().length);
                    } else if (pass > 0) {
                        // the first pass may be refused (a validating webhook sent the pod without idgate's patch); the second must not
                        throw new IllegalStateException("idgate did not allow the bench's pod on " + path + ": " + answer.statusCode() + " "
                                + new String(answer.body(), StandardCharsets.UTF_8));
                    }
                }
            }
            JsonNode echoLabels = probe().labels();
            if (!idgateLabels.equals(echoLabels)) {
                throw new IllegalStateException("a pod created through the echo is labelled " + echoLabels + ", through idgate " + idgateLabels);
            }
            return sizes;
        }

        /** idgate's answer to {@code review}, sent straight to it as the API server sends it. */
        private HttpResponse<byte[]> idgateAnswer(String path, byte[] review) throws Exception {
            return cluster.client().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + cluster.port() + path))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        /** Reviews idgate answered, per path ({@code idgate_admission_requests_total}, every decision and operation). */
        private Map<String, Long> idgateRequests() {
            Map<String, Long> counts = new HashMap<>();
            Matcher m = REQUESTS.matcher(cluster.metrics());
            while (m.find()) {
                Matcher webhook = WEBHOOK.matcher(m.group(1));
                if (webhook.find()) {
                    // the webhook tag is the path's segments joined by '-': mutate-pods is /mutate/pods
                    counts.merge("/" + webhook.group(1).replaceFirst("-", "/"), (long) Double.parseDouble(m.group(2)), Long::sum);
                }
            }
            return counts;
        }

        private static Set<String> called(Map<String, Long> before, Map<String, Long> after) {
            Set<String> paths = new TreeSet<>();
            after.forEach((path, n) -> {
                if (n > before.getOrDefault(path, 0L)) {
                    paths.add(path);
                }
            });
            return paths;
        }
    }

    /** The echo webhook: {@link BaselineServer} {@code --echo-uid} in its own JVM, as idgate runs in its own. */
    private record Echo(Process process, int port, HttpClient client) {

        static Echo start(E2eCluster cluster) throws Exception {
            int port = E2eCluster.freePort();
            // until taught idgate's answers, the echo allows every review of every path idgate registers
            Path allowed = E2eCluster.DIR.resolve("echo-allowed.json");
            Files.write(allowed, AdmissionReviewEncoder.encode("", AdmissionResponses.allowed()));
            List<String> cmd = new ArrayList<>(List.of("java"));
            cmd.addAll(cluster.idgateJvm());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(), String.valueOf(port),
                    E2eCluster.CERTS.resolve("tls.crt").toString(), E2eCluster.CERTS.resolve("tls.key").toString(),
                    "--client-ca=" + E2eCluster.CERTS.resolve("client-ca.crt"), "--echo-uid"));
            Set<String> paths = new TreeSet<>();
            for (JsonNode config : cluster.webhookConfigurations("")) {
                config.path("webhooks").forEach(w -> paths.add(w.path("clientConfig").path("url").asText()));
            }
            paths.forEach(p -> cmd.add(p + "=" + allowed));
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(E2eCluster.DIR.resolve("echo.log").toFile()).start();
            Echo echo = new Echo(process, port, cluster.client());
            E2eCluster.await("echo webhook listening", () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the echo webhook exited; see target/e2e/echo.log");
                }
                try {
                    echo.requests();
                    return true;
                } catch (IllegalStateException e) {
                    return false;
                }
            });
            return echo;
        }

        String url() {
            return "https://127.0.0.1:" + port;
        }

        Map<String, Long> requests() {
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url() + "/_bench/requests")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                Map<String, Long> counts = new HashMap<>();
                JSON.readTree(r.body()).fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
                return counts;
            } catch (IOException e) {
                throw new IllegalStateException("echo webhook unreachable", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The last review the echo was sent on {@code path}. */
        byte[] last(String path) throws Exception {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url() + "/_bench/last?path=" + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the echo has no review on " + path);
            }
            return r.body();
        }

        void answer(String path, byte[] answer) throws Exception {
            int status = client.send(HttpRequest.newBuilder(URI.create(url() + "/_bench/answer?path=" + path))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(answer)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 204) {
                throw new IllegalStateException("the echo refused the answer for " + path + ": " + status);
            }
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The API server, as the bench's clients use it. */
    private record Api(HttpClient client, String apiserver, String token) {

        /** Latencies (ns) of the creates that succeeded, the others counted by HTTP status (-1: no answer). */
        record Result(long[] nanos, int errors, Map<Integer, Integer> errorStatuses) {}

        private static final AtomicInteger PROBES = new AtomicInteger();

        /** The bench's pod; its shard label only spreads the pods over {@link #SHARDS} deletions that run at once. */
        static byte[] pod(String name, int shard) {
            return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"web\",\"" + SHARD + "\":\""
                    + shard + "\"}},\"spec\":{\"serviceAccountName\":\"default\",\"containers\":[{\"name\":\"app\",\"image\":\"registry.example.com/web:1\"}]}}")
                    .getBytes(StandardCharsets.UTF_8);
        }

        HttpRequest create(String name, int shard) {
            return request("/api/v1/namespaces/" + NS + "/pods").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(pod(name, shard))).build();
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(apiserver + path)).header("Authorization", "Bearer " + token);
        }

        /** The created pod, or null when the create failed. */
        JsonNode createProbe() {
            try {
                HttpResponse<byte[]> r = client.send(create("probe-" + PROBES.incrementAndGet(), 0), HttpResponse.BodyHandlers.ofByteArray());
                return r.statusCode() == 201 ? JSON.readTree(r.body()) : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * Deletes the bench's pods (unscheduled pods go at once), so the store and idgate's informers do
         * not grow run after run. One deletion of a whole collection deletes a pod at a time and the API
         * server stops waiting for it after 34 s (504; thousands of pods take longer on a busy machine):
         * one deletion per shard, all at once, again until none is left.
         */
        void deletePods() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (podsLeft()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the bench's pods are still there after 5 minutes of deleting");
                }
                List<CompletableFuture<HttpResponse<Void>>> deletions = new ArrayList<>();
                for (int shard = 0; shard < SHARDS; shard++) {
                    deletions.add(client.sendAsync(request("/api/v1/namespaces/" + NS + "/pods?labelSelector=" + SHARD + "%3D" + shard).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding()));
                }
                for (var deletion : deletions) {
                    int status = deletion.get().statusCode();
                    if (status != 200 && status != 504) {
                        throw new IllegalStateException("deleting the bench's pods answered " + status);
                    }
                }
            }
        }

        private boolean podsLeft() throws Exception {
            HttpResponse<byte[]> r = client.send(request("/api/v1/namespaces/" + NS + "/pods?limit=1").build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("listing the bench's pods answered " + r.statusCode());
            }
            return !JSON.readTree(r.body()).path("items").isEmpty();
        }

        Result load(Run run, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long[][] perClient = new long[run.clients()][];
            AtomicInteger errors = new AtomicInteger();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < run.clients(); c++) {
                int client = c;
                Thread t = new Thread(() -> perClient[client] = createUntil(run, client, deadline, errors, statuses));
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            return new Result(Arrays.stream(perClient).flatMapToLong(Arrays::stream).toArray(), errors.get(), new TreeMap<>(statuses));
        }

        /** Latencies (ns) of the pods one client created back to back until {@code deadline}. */
        private long[] createUntil(Run run, int client, long deadline, AtomicInteger errors, Map<Integer, Integer> statuses) {
            long[] latencies = new long[1024];
            int n = 0;
            for (int seq = 0; System.nanoTime() < deadline; seq++) {
                HttpRequest request = create(run.podName(client, seq), seq % SHARDS);
                long start = System.nanoTime();
                int status;
                try {
                    status = this.client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    status = -1;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                long took = System.nanoTime() - start;
                if (status != 201) {
                    errors.incrementAndGet();
                    statuses.merge(status, 1, Integer::sum);
                    continue;
                }
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = took;
            }
            return Arrays.copyOf(latencies, n);
        }
    }
}
