package io.idgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A slow API server: the cache-miss GET is cut off at the lookup timeout. Its own mock server,
 * because the slow reply holds the mock server's only thread.
 */
@EnableKubernetesMockClient
class SlowApiServerLookupTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void aSlowApiServerIsCutOffAtTheLookupTimeout() {
        server.expect().get().withPath("/api/v1/namespaces/shop/serviceaccounts/slow")
                .andReply(200, request -> {
                    sleep(3_000);
                    return new ServiceAccountBuilder().withNewMetadata().withName("slow").withNamespace("shop").endMetadata().build();
                }).once();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        var lookup = new InformerServiceAccountLookup(client, Duration.ofMillis(300), executor);
        long start = System.nanoTime();
        var missing = assertInstanceOf(ServiceAccountLookup.Missing.class,
                lookup.resolve("shop", "slow").toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("the API server did not answer within 300ms", missing.reason());
        assertTrue(millis < 2_500, "answered after " + millis + "ms, before the API server did");
        lookup.close();
        executor.shutdownNow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
