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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The informer-backed lookup against the fabric8 mock API server (CRUD mode, plus an expectation for
 * a forbidden ServiceAccount).
 */
@EnableKubernetesMockClient(crud = true)
class InformerServiceAccountLookupTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ExecutorService executor;
    private InformerServiceAccountLookup lookup;

    @BeforeEach
    void setUp() {
        executor = Executors.newFixedThreadPool(2);
        // generous: the first request of a cold client is slow, and these tests are about answers, not speed
        lookup = new InformerServiceAccountLookup(client, Duration.ofSeconds(3), executor);
    }

    @AfterEach
    void tearDown() {
        lookup.close();
        executor.shutdownNow();
    }

    private ServiceAccountLookup.Resolution resolve(String namespace, String name) {
        return lookup.resolve(namespace, name).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void aSyncedCacheAnswersFromMemory() throws Exception {
        client.serviceAccounts().inNamespace("payments").resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("ledger").withNamespace("payments")
                .addToAnnotations("eks.amazonaws.com/role-arn", "arn:aws:iam::1:role/x").endMetadata().build()).create();
        lookup.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(lookup.synced());
        var found = assertInstanceOf(ServiceAccountLookup.Found.class, resolve("payments", "ledger"));
        assertEquals(ServiceAccountLookup.Source.CACHE, found.source());
        assertEquals("arn:aws:iam::1:role/x", found.serviceAccount().annotation("eks.amazonaws.com/role-arn"));
    }

    @Test
    void aCacheMissIsSettledByOneGet() {
        // Not started: the cache is empty, as for a ServiceAccount created a moment before its pod.
        client.serviceAccounts().inNamespace("shop").resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("late").withNamespace("shop").endMetadata().build()).create();
        assertTrue(!lookup.synced());
        var found = assertInstanceOf(ServiceAccountLookup.Found.class, resolve("shop", "late"));
        assertEquals(ServiceAccountLookup.Source.API, found.source());
        assertEquals("late", found.serviceAccount().name());
    }

    @Test
    void aServiceAccountThatDoesNotExistIsMissing() {
        var missing = assertInstanceOf(ServiceAccountLookup.Missing.class, resolve("shop", "ghost"));
        assertEquals("it does not exist", missing.reason());
    }

    @Test
    void aForbiddenGetNamesTheMissingPermission() {
        server.expect().get().withPath("/api/v1/namespaces/shop/serviceaccounts/secret").andReturn(403, null).once();
        var missing = assertInstanceOf(ServiceAccountLookup.Missing.class, resolve("shop", "secret"));
        assertTrue(missing.reason().contains("get/list/watch on serviceaccounts"), missing.reason());
    }
}
