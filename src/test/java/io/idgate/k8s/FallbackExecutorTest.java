package io.idgate.k8s;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cache-miss GETs run side by side, not one by one behind a single thread (regression found by the soak). */
class FallbackExecutorTest {

    @Test
    void fourLookupsRunAtOnceWithoutWaitingForTheQueueToFill() throws InterruptedException {
        var executor = ClusterSources.fallbackExecutor();
        CountDownLatch started = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int i = 0; i < 4; i++) {
                executor.execute(() -> {
                    started.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(started.await(2, TimeUnit.SECONDS), "only " + (4 - started.getCount()) + " of 4 lookups started");
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }
}
