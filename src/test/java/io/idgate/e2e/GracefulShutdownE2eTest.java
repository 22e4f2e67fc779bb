package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load, as a rollout does it: the API server keeps sending reviews to a terminating
 * pod until its endpoint is gone everywhere, and with failurePolicy Fail every review that fails is a
 * refused pod. idgate must answer 503 on readiness at once, keep answering every review for
 * quarkus.shutdown.delay, finish a review still in flight when the delay ends, and exit 0.
 * Bounded: 6 clients, about 5 s of load, one process.
 */
@Tag("e2e")
class GracefulShutdownE2eTest {

    private static final Duration DELAY = Duration.ofSeconds(4);
    private static final int CLIENTS = 6;

    @Test
    void afterSigtermReadinessIsDownEveryReviewIsAnsweredForTheDelayAndTheProcessExitsZero() throws Exception {
        StandaloneIdgate idgate = new StandaloneIdgate("-Dquarkus.shutdown.delay=" + DELAY.toSeconds() + "s");
        try {
            byte[] review = Files.readAllBytes(E2eCluster.ROOT.resolve("examples/reviews/mutate-pod.json"));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sigterm = new AtomicLong(Long.MAX_VALUE);
            AtomicLong answered = new AtomicLong();
            AtomicLong answeredAfterSigterm = new AtomicLong();
            List<String> failures = new CopyOnWriteArrayList<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                // half HTTP/2 (what the API server's Go client negotiates), half HTTP/1.1 keep-alive
                HttpClient client = HttpClient.newBuilder().sslContext(StandaloneIdgate.tls())
                        .version(i % 2 == 0 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + idgate.port + "/mutate/pods"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build();
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200 || !r.body().contains("\"allowed\":true")) {
                                throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body());
                            }
                            answered.incrementAndGet();
                            if (System.nanoTime() > sigterm.get()) {
                                answeredAfterSigterm.incrementAndGet();
                            }
                        } catch (IOException | RuntimeException e) {
                            failures.add(e.toString());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "review-client-" + i);
                t.start();
                clients.add(t);
            }
            E2eCluster.await("load running", () -> answered.get() >= 100);

            sigterm.set(System.nanoTime());
            idgate.process().destroy(); // SIGTERM
            // readiness, polled through the delay, stopping half a second before it ends
            List<Integer> readiness = new ArrayList<>();
            long delayEnds = sigterm.get() + DELAY.toNanos();
            while (System.nanoTime() < delayEnds - 500_000_000L) {
                readiness.add(idgate.ready());
                Thread.sleep(100);
            }
            // one review in flight across the end of the delay: headers and half the body now, the
            // rest one second after the delay has ended
            InFlight slow = InFlight.begin(idgate.port, review);
            stop.set(true);
            for (Thread t : clients) {
                t.join(10_000);
            }
            Thread.sleep((delayEnds - System.nanoTime()) / 1_000_000 + 1_000);
            boolean aliveWhileInFlight = idgate.process().isAlive();
            String slowAnswer = slow.finish();
            boolean exited = idgate.process().waitFor(20, TimeUnit.SECONDS);
            long exitMillis = (System.nanoTime() - sigterm.get()) / 1_000_000;

            Map<String, Long> failed = failures.stream().collect(Collectors.groupingBy(f -> f, TreeMap::new, Collectors.counting()));
            E2eCluster.log("SIGTERM under load (%d clients, delay %d s): %d reviews answered, %d of them after SIGTERM, %d failed %s; "
                    + "readiness after SIGTERM %s; in-flight review: %s; exit %s after %d ms", CLIENTS, DELAY.toSeconds(), answered.get(),
                    answeredAfterSigterm.get(), failures.size(), failed, readiness.stream().distinct().toList(),
                    slowAnswer.lines().findFirst().orElse("(none)"), exited ? idgate.process().exitValue() : "none", exitMillis);

            assertEquals(Map.of(), failed, "every review during the delay is answered");
            assertTrue(answeredAfterSigterm.get() >= 100, "reviews kept coming after SIGTERM: " + answeredAfterSigterm.get());
            assertTrue(readiness.size() >= 10 && readiness.stream().allMatch(s -> s == 503), "readiness 503 throughout the delay: " + readiness);
            assertTrue(aliveWhileInFlight, "still running after the delay while a review is in flight");
            assertTrue(slowAnswer.startsWith("HTTP/1.1 200") && slowAnswer.contains("\"allowed\":true"), "in-flight review answered: " + slowAnswer);
            assertTrue(slowAnswer.toLowerCase().contains("connection: close"), "answered in the shutdown phase, closing: " + slowAnswer);
            assertTrue(exited, "exited within 20 s of the in-flight review's answer");
            assertEquals(0, idgate.process().exitValue(), "exit code after SIGTERM; log: " + idgate.log);
            assertTrue(exitMillis >= DELAY.toMillis(), "not before the delay ended: " + exitMillis + " ms");
        } finally {
            idgate.kill();
        }
    }

    /** A review sent in two halves over its own HTTP/1.1 connection. */
    private record InFlight(SSLSocket socket, byte[] rest, String error) {

        static InFlight begin(int port, byte[] review) {
            try {
                SSLSocket socket = (SSLSocket) StandaloneIdgate.tls().getSocketFactory().createSocket("127.0.0.1", port);
                socket.setSoTimeout(15_000);
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(("POST /mutate/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + review.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                int half = review.length / 2;
                out.write(review, 0, half);
                out.flush();
                return new InFlight(socket, java.util.Arrays.copyOfRange(review, half, review.length), null);
            } catch (IOException e) {
                return new InFlight(null, null, "failed to begin: " + e);
            }
        }

        /** Sends the rest of the body; the whole answer, or the error that ended it. */
        String finish() {
            if (error != null) {
                return error;
            }
            try (socket) {
                socket.getOutputStream().write(rest);
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "failed: " + e;
            }
        }
    }
}
