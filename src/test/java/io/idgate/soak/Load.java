package io.idgate.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Open-loop load at a fixed rate, as {@code bench}'s RateLoad does it: review {@code i} is due at
 * {@code start + i / rate} and its latency counts from that due time, so a stalled server shows in the
 * percentiles instead of slowing the load. Unlike RateLoad every review has its own body and uid and
 * its answer is kept for the oracle; it goes through the harness's HTTPS client, which trusts (and
 * authenticates to) idgate's webhook port the way the harness sets it up.
 */
final class Load {

    /** The API server's webhook timeout (timeoutSeconds in k8s/webhooks/webhooks.yaml): a slower answer is a failure. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /**
     * Reviews in flight at most; a due review waits for a slot (its latency still counts from its due
     * time). The HTTP/2 connection carries at most 100 streams (Vert.x's default), and the JDK 17 client
     * does not open a second connection beyond that: the excess sat unanswered until it timed out
     * (measured, in a stall after start-up). The API server's Go client waits for a slot or opens
     * another connection instead.
     */
    static final int MAX_IN_FLIGHT = 64;

    /** One review and what came back: an HTTP status and body, or the transport error. */
    record Done(int template, String uid, long dueNanos, long sentNanos, long answeredNanos, int status, byte[] body, Throwable error) {}

    private final HttpClient client;
    private final URI base;
    private final List<Scenario.Template> templates;
    private final Consumer<Done> sink;
    private final AtomicInteger inFlight = new AtomicInteger();
    private int maxInFlight;
    private volatile boolean stopped;

    Load(HttpClient client, URI base, List<Scenario.Template> templates, Consumer<Done> sink) {
        this.client = client;
        this.base = base;
        this.templates = templates;
        this.sink = sink;
    }

    /** Stops sending after the review in progress (the run's end, or a failure elsewhere). */
    void stop() {
        stopped = true;
    }

    /**
     * Sends at {@code rate} per second for {@code seconds}, then waits for the answers in flight.
     * Returns how many reviews were sent.
     */
    int run(int rate, double seconds, long seed) throws InterruptedException {
        int[] schedule = schedule(seed);
        long total = (long) (rate * seconds);
        long start = System.nanoTime() + 20_000_000;
        long uidHigh = new Random(seed).nextLong();
        int sent = 0;
        while (sent < total && !stopped) {
            long due = start + sent * 1_000_000_000L / rate;
            long now = System.nanoTime();
            if (due > now || inFlight.get() >= MAX_IN_FLIGHT) {
                LockSupport.parkNanos(due > now ? Math.min(due - now, 1_000_000) : 100_000);
                continue;
            }
            send(schedule[sent % schedule.length], new UUID(uidHigh, sent).toString(), due);
            sent++;
            maxInFlight = Math.max(maxInFlight, inFlight.get());
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(5);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return sent;
    }

    private void send(int template, String uid, long due) {
        Scenario.Template t = templates.get(template);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(t.path())).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(t.body(uid))).build();
        inFlight.incrementAndGet();
        long sent = System.nanoTime();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            long answered = System.nanoTime();
            try {
                sink.accept(error != null ? new Done(template, uid, due, sent, answered, -1, null, error)
                        : new Done(template, uid, due, sent, answered, response.statusCode(), response.body(), null));
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    /** The most reviews that were in flight at once (at {@link #MAX_IN_FLIGHT}, due reviews waited). */
    int maxInFlight() {
        return maxInFlight;
    }

    /** Template indices in proportion to their weights, shuffled once (seeded, so runs are repeatable), and cycled. */
    private int[] schedule(long seed) {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < templates.size(); i++) {
            for (int w = 0; w < templates.get(i).weight(); w++) {
                slots.add(i);
            }
        }
        Collections.shuffle(slots, new Random(seed));
        return slots.stream().mapToInt(Integer::intValue).toArray();
    }
}
