package io.idgate.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code make bench}, part 3: pod-create latency through the real kube-apiserver of the e2e harness
 * ({@link E2eCluster}), with idgate's webhooks registered and then without them, at each client count.
 * Clients create pods back to back over one HTTP/2 connection, as client-go does.
 */
public final class PodCreateBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PodCreateBench() {}

    /** True when the harness can start a kube-apiserver here (KUBE_ASSETS set, etcd installed). */
    public static boolean available() {
        return System.getenv("KUBE_ASSETS") != null && Files.isExecutable(Path.of("/usr/bin/etcd"));
    }

    public static ObjectNode run(int seconds, int[] clientCounts) throws Exception {
        E2eCluster cluster = E2eCluster.get();
        Map<String, String> env = cluster.apiserverEnv();
        HttpClient client = HttpClient.newBuilder().sslContext(E2eCluster.trusting(Path.of(env.get("KUBE_E2E_CA")))).build();
        Target target = new Target(client, env.get("KUBE_E2E_APISERVER"), env.get("KUBE_E2E_TOKEN"));
        ObjectNode out = JSON.createObjectNode();
        out.put("apiserver", "kube-apiserver v1.20.2");
        out.put("seconds", seconds);
        ArrayNode steps = out.putArray("steps");
        List<ObjectNode> rows = new ArrayList<>();
        for (int clients : clientCounts) {
            ObjectNode row = steps.addObject();
            row.put("clients", clients);
            rows.add(row);
        }
        // with idgate first (the harness registers it), then without: each mode warmed before it is measured
        for (String mode : List.of("with", "without")) {
            if (mode.equals("without")) {
                cluster.unregisterWebhooks();
            }
            cluster.namespace("bench-warm-" + mode);
            target.load("bench-warm-" + mode, 10, Math.max(3, seconds / 2));
            for (int i = 0; i < clientCounts.length; i++) {
                String ns = "bench-" + mode + "-" + clientCounts[i];
                cluster.namespace(ns);
                System.out.printf("[bench] pod creates %s idgate, %d clients, %d s%n", mode, clientCounts[i], seconds);
                rows.get(i).set(mode, target.load(ns, clientCounts[i], seconds));
            }
        }
        return out;
    }

    private record Target(HttpClient client, String apiserver, String token) {

        ObjectNode load(String namespace, int clients, int seconds) throws InterruptedException {
            byte[] pod = ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"web-\",\"labels\":{\"app\":\"web\"}},"
                    + "\"spec\":{\"serviceAccountName\":\"default\",\"containers\":[{\"name\":\"app\",\"image\":\"registry.example.com/web:1\"}]}}").getBytes();
            HttpRequest request = HttpRequest.newBuilder(URI.create(apiserver + "/api/v1/namespaces/" + namespace + "/pods"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(pod)).build();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long[][] perClient = new long[clients][];
            AtomicInteger errors = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                Thread t = new Thread(() -> perClient[client] = createUntil(request, deadline, errors));
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            long[] all = Arrays.stream(perClient).flatMapToLong(Arrays::stream).sorted().toArray();
            ObjectNode s = JSON.createObjectNode();
            s.put("creates", all.length);
            s.put("errors", errors.get());
            s.put("per_second", all.length / (double) seconds);
            s.put("avg_ms", Arrays.stream(all).average().orElse(Double.NaN) / 1e6);
            s.put("p50_ms", percentile(all, 50) / 1e6);
            s.put("p99_ms", percentile(all, 99) / 1e6);
            s.put("max_ms", all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6);
            return s;
        }

        /** Latencies (ns) of the pods one client created back to back until {@code deadline}. */
        private long[] createUntil(HttpRequest request, long deadline, AtomicInteger errors) {
            long[] latencies = new long[1024];
            int n = 0;
            while (System.nanoTime() < deadline) {
                long start = System.nanoTime();
                try {
                    if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 201) {
                        errors.incrementAndGet();
                        continue;
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = System.nanoTime() - start;
            }
            return Arrays.copyOf(latencies, n);
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
