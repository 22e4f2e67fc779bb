package io.idgate.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop load at a fixed request rate (what wrk 4 cannot do): request {@code i} is due at
 * {@code start + i / rate}, and its latency counts from that due time, not from when it was sent, so a
 * stalled server shows up in the percentiles instead of slowing the load (no coordinated omission).
 * HTTPS with keep-alive over a small connection pool, like the API server's webhook client.
 */
final class RateLoad {

    /** Latencies in microseconds (sorted) and failures of one run. */
    record Result(long[] micros, int failures, double seconds) {
        long percentile(double p) {
            if (micros.length == 0) {
                return -1;
            }
            int index = (int) Math.ceil(p / 100.0 * micros.length) - 1;
            return micros[Math.max(0, Math.min(micros.length - 1, index))];
        }

        double rate() {
            return micros.length / seconds;
        }
    }

    private RateLoad() {}

    static Result run(int port, String path, byte[] body, int rate, int seconds, int connections) throws InterruptedException {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false).setKeepAlive(true)
                            .setDefaultHost("127.0.0.1").setDefaultPort(port),
                    new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
            // first 2 s discarded: the client's own connection handshakes and JIT would otherwise land
            // in the server's percentiles (measured: hundreds of ms at p99, for bare Vert.x too)
            phase(vertx, client, path, Buffer.buffer(body), rate, 2);
            return phase(vertx, client, path, Buffer.buffer(body), rate, seconds);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static Result phase(Vertx vertx, HttpClient client, String path, Buffer payload, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime() + 20_000_000;
        int[] next = {0};
        vertx.setPeriodic(1, timer -> {
            long now = System.nanoTime();
            while (next[0] < total && start + next[0] * 1_000_000_000L / rate <= now) {
                int i = next[0]++;
                long due = start + i * 1_000_000_000L / rate;
                client.request(HttpMethod.POST, path)
                        .compose(req -> req.putHeader("Content-Type", "application/json").send(payload))
                        .compose(resp -> resp.statusCode() == 200 ? resp.body() : Future.failedFuture("HTTP " + resp.statusCode()))
                        .onComplete(ar -> {
                            latencies[i] = ar.succeeded() ? (System.nanoTime() - due) / 1000 : -1;
                            if (ar.failed()) {
                                failures.incrementAndGet();
                            }
                            done.countDown();
                        });
            }
            if (next[0] >= total) {
                vertx.cancelTimer(timer);
            }
        });
        if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
            throw new IllegalStateException("fixed-rate run did not finish: the server answers fewer than " + rate + " req/s");
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] ok = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        return new Result(ok, failures.get(), elapsed);
    }
}
