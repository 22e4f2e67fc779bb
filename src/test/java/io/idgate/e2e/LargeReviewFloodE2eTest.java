package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.testing.ShippedJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The largest reviews the API server can send, many at once, at the shipped heap: pod UPDATEs of
 * about 2.7 MiB (object and oldObject near etcd's 1.5 MiB each) from 48 concurrent callers for 8 s,
 * against the built jar run with the Deployment's JVM flags and malloc setting (read from
 * k8s/base/deployment.yaml: {@link ShippedJvm}). idgate must stay up and answer every review, either with its
 * decision or with the documented 429 of an exhausted memory budget
 * ({@code idgate.admission.memory-budget}, docs/install.md "Large reviews"), and answer a normal
 * review afterwards. Before the budget, the same flood ended the process with an OutOfMemoryError.
 * Its resident memory at its peak (VmHWM) stays under the Deployment's memory limit: the heap may fill
 * to {@code -Xmx} here, and the limit must hold that beside the JVM's memory outside the heap.
 */
@Tag("e2e")
class LargeReviewFloodE2eTest {

    private static final int CLIENTS = 48;
    private static final boolean HTTP2 = Boolean.parseBoolean(System.getProperty("flood.http2", "true"));
    private static final Duration FLOOD = Duration.ofSeconds(8);
    private static final ShippedJvm JVM = ShippedJvm.read(); // k8s/base/deployment.yaml: JAVA_OPTS_APPEND, MALLOC_ARENA_MAX

    @Test
    void aFloodOfTheLargestPodUpdatesLeavesIdgateUpAnsweringEveryReview() throws Exception {
        StandaloneIdgate idgate = new StandaloneIdgate(JVM.environment(), JVM.flags().toArray(String[]::new));
        try {
            byte[] normal = Files.readAllBytes(E2eCluster.ROOT.resolve("examples/reviews/mutate-pod.json"));
            byte[] large = largeUpdate(normal);
            assertTrue(large.length > 2_600_000 && large.length < 3 * 1024 * 1024, "review size " + large.length);

            AtomicLong decided = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            LongAccumulator slowest = new LongAccumulator(Math::max, 0);
            Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            long end = start + FLOOD.toNanos();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                // half HTTP/2 (the API server's Go client), half HTTP/1.1
                HttpClient client = HttpClient.newBuilder().sslContext(StandaloneIdgate.tls())
                        .version(i % 2 == 0 && HTTP2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + idgate.port + "/mutate/pods"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(large)).build();
                Thread t = new Thread(() -> {
                    while (System.nanoTime() < end && idgate.process().isAlive()) {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                            slowest.accumulate((System.nanoTime() - sent) / 1_000_000);
                            if (r.statusCode() == 200 && r.body().contains("\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\"")) {
                                decided.incrementAndGet();
                            } else if (r.statusCode() == 429 && r.headers().firstValue("Retry-After").isPresent()
                                    && r.body().contains("\"reason\":\"TooManyRequests\"")) {
                                refused.incrementAndGet();
                                // as the API server's client does with a 429 that names a delay
                                Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").get()));
                            } else {
                                failures.computeIfAbsent("HTTP " + r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())),
                                        k -> new AtomicLong()).incrementAndGet();
                            }
                        } catch (IOException e) {
                            failures.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new AtomicLong()).incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "flood-" + i);
                t.start();
                clients.add(t);
            }
            for (Thread t : clients) {
                t.join(60_000);
            }
            long floodMillis = (System.nanoTime() - start) / 1_000_000;
            boolean alive = idgate.process().isAlive();
            String oom = StandaloneIdgate.read(idgate.log).lines().filter(l -> l.contains("OutOfMemoryError")).findFirst().orElse("none");
            int afterwards = alive ? send(idgate, normal) : -1;
            long peakKiB = alive ? peakRssKiB(idgate.process().pid()) : -1;
            Map<String, Long> failed = failures.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(), Long::sum, TreeMap::new));

            E2eCluster.log("%d clients, %d-byte pod UPDATE reviews for %d ms (flags %s): %d decided, %d refused 429, failed %s; slowest answer %d ms; "
                    + "alive after: %s (OutOfMemoryError: %s); a normal review afterwards: HTTP %d; RSS peak %.0f MiB (limit %d MiB)", CLIENTS, large.length,
                    floodMillis, JVM, decided.get(), refused.get(), failed, slowest.get(), alive, oom, afterwards, peakKiB / 1024.0,
                    JVM.memoryLimitBytes() >> 20);

            assertTrue(alive, "idgate still running after the flood; OutOfMemoryError: " + oom + "; log: " + idgate.log);
            assertEquals(Map.of(), failed, "every review answered: its decision, or 429 for lack of memory budget");
            // how many are decided rather than refused depends on how fast the clients upload (the JDK's TLS client on a busy machine)
            assertTrue(decided.get() >= 1, "reviews decided, not only refused: " + decided.get());
            assertEquals(200, afterwards, "a normal review after the flood");
            assertTrue(peakKiB * 1024 < JVM.memoryLimitBytes(), "RSS peak " + peakKiB + " KiB under the Deployment's limit of " + JVM.memoryLimitBytes() + " bytes");
        } finally {
            idgate.kill();
        }
    }

    /**
     * A pod UPDATE review of about 2.7 MiB: object and oldObject each about 1.35 MiB, the size a pod
     * reaches with a large last-applied annotation and many environment variables.
     */
    static byte[] largeUpdate(byte[] createReview) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode review = (ObjectNode) json.readTree(createReview);
        ObjectNode request = (ObjectNode) review.get("request");
        request.put("operation", "UPDATE");
        ObjectNode pod = (ObjectNode) request.get("object");
        ((ObjectNode) pod.get("metadata")).putObject("annotations").put("kubectl.kubernetes.io/last-applied-configuration", "x".repeat(600_000));
        ObjectNode container = (ObjectNode) pod.get("spec").get("containers").get(0);
        ArrayNode env = container.putArray("env");
        for (int i = 0; i < 12_000; i++) {
            env.addObject().put("name", "SETTING_" + i).put("value", "value-of-setting-number-" + i);
        }
        request.set("oldObject", pod.deepCopy());
        request.putObject("options").put("apiVersion", "meta.k8s.io/v1").put("kind", "UpdateOptions");
        return json.writeValueAsBytes(review);
    }

    /** The process's resident memory at its peak, from /proc (VmHWM). */
    static long peakRssKiB(long pid) throws IOException {
        return Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }

    private static int send(StandaloneIdgate idgate, byte[] review) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(StandaloneIdgate.tls()).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + idgate.port + "/mutate/pods"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("\"allowed\":true") ? 200 : r.statusCode();
    }
}
