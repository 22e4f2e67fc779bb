package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Faults of a distant or slow API server, as idgate sees it: idgate reads the cluster through a
 * {@link TcpProxy} that delays every byte the API server sends (watch events, GET answers alike),
 * while pods are created through the real API server, whose webhooks call idgate as usual.
 *
 * <ul>
 *   <li>A little late (150 ms): a ServiceAccount created a moment before its pod is not in the
 *       informer yet when the pod's review arrives; the bounded GET must find it.
 *   <li>Slow (3 s a response): the bounded GET must give up at the lookup timeout, so the pod is
 *       refused by on-missing=deny in time, and the API server never times out calling idgate.
 * </ul>
 */
@Tag("e2e")
class ApiServerLatencyE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();
    private static final String NAMESPACE = "faults-latency";
    private static final long LOOKUP_TIMEOUT_MILLIS = 500;
    /** What the API server adds around the webhook call on a shared 2-core machine, generously. */
    private static final long MARGIN_MILLIS = 1_000;
    private static final String LOOKUPS = "idgate_serviceaccount_lookups_total{source=\"%s\"}";

    private static TcpProxy proxy;
    private static ApiServer api;

    @BeforeAll
    static void idgateBehindAProxy() {
        k8s.namespace(NAMESPACE);
        api = new ApiServer(k8s);
        proxy = new TcpProxy(api.port());
        proxy.open();
        k8s.stopIdgate();
        k8s.startIdgate(FaultKit.kubeconfigVia(proxy.port()), true);
    }

    @AfterAll
    static void idgateBackOnTheApiServer() {
        k8s.stopIdgate();
        if (proxy != null) {
            proxy.close();
        }
        k8s.startIdgate();
    }

    @Test
    void aServiceAccountCreatedAMomentBeforeItsPodIsFoundByTheBoundedGet() {
        proxy.delay(Duration.ofMillis(150));
        int pods = 20;
        String before = k8s.metrics();
        long slowest = 0;
        for (int i = 0; i < pods; i++) {
            String name = "race-" + i;
            var sa = createServiceAccount(name);
            // no pause: the pod's review races the ServiceAccount's watch event
            var pod = api.post("/api/v1/namespaces/" + NAMESPACE + "/pods", pod(name));
            assertEquals(201, pod.status(), "pod " + name + ": " + pod.body());
            JsonNode meta = pod.body().path("metadata");
            assertEquals(name, meta.path("labels").path("idgate.io/service-account").asText(), meta.toString());
            assertEquals("serviceaccount/" + NAMESPACE + "/" + name + "@" + sa.body().path("metadata").path("resourceVersion").asText(),
                    meta.path("annotations").path("idgate.io/derived-from").asText(), "derived from the ServiceAccount just created");
            slowest = Math.max(slowest, pod.millis());
        }
        String after = k8s.metrics();
        double byGet = delta(before, after, "api");
        E2eCluster.log("ServiceAccount then pod at once, %d times, informer 150 ms behind: all labelled; lookups (mutating + validating) "
                + "%.0f by GET, %.0f from the cache; slowest pod create %d ms", pods, byGet, delta(before, after, "cache"), slowest);
        assertTrue(byGet > 0, "the race happened: some reviews came before the watch event");
        assertEquals(0, delta(before, after, "missing"), "no lookup ended without the ServiceAccount");
    }

    @Test
    void aSlowApiServerNeverPushesAReviewPastTheWebhookTimeout() {
        proxy.delay(Duration.ofSeconds(3));
        int pods = 3;
        long failedCallsBefore = webhookFailuresLogged();
        long slowest = 0;
        for (int i = 0; i < pods; i++) {
            String name = "slow-" + i;
            createServiceAccount(name);
            var pod = api.post("/api/v1/namespaces/" + NAMESPACE + "/pods", pod(name));
            assertEquals(403, pod.status(), pod.body().toString());
            assertEquals("admission webhook \"pods.mutate.idgate.io\" denied the request: spec.serviceAccountName: ServiceAccount \""
                    + NAMESPACE + "/" + name + "\" cannot be read (the API server did not answer within 500ms); idgate derives the "
                    + "pod's identity from it. Create it first (kubectl -n " + NAMESPACE + " create serviceaccount " + name
                    + ") or set spec.serviceAccountName to an existing one", pod.message());
            assertTrue(pod.millis() < LOOKUP_TIMEOUT_MILLIS + MARGIN_MILLIS, "pod create answered in " + pod.millis() + " ms");
            slowest = Math.max(slowest, pod.millis());
        }
        assertEquals(failedCallsBefore, webhookFailuresLogged(), "the API server logged no failed (timed-out) webhook call");

        // only slow, not broken: once the watch event arrives (3 s late) the pod is admitted
        long millis = E2eCluster.await("ServiceAccount cached despite the slow API server",
                () -> api.post("/api/v1/namespaces/" + NAMESPACE + "/pods", pod("slow-0")).status() == 201);
        assertEquals("slow-0", api.get("/api/v1/namespaces/" + NAMESPACE + "/pods/slow-0").body().path("metadata").path("labels")
                .path("idgate.io/service-account").asText());
        E2eCluster.log("slow API server (3000 ms a response): %d pods with uncached ServiceAccounts refused by on-missing=deny in at most "
                + "%d ms (lookup bound %d ms, webhook timeout 5 s), no webhook failure; admitted %d ms later from the cache",
                pods, slowest, LOOKUP_TIMEOUT_MILLIS, millis);
    }

    private static ApiServer.Response createServiceAccount(String name) {
        var sa = api.post("/api/v1/namespaces/" + NAMESPACE + "/serviceaccounts",
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"" + name + "\"}}");
        assertEquals(201, sa.status(), sa.body().toString());
        return sa;
    }

    private static String pod(String serviceAccount) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{"serviceAccountName":"%s","containers":[{"name":"app","image":"registry.example.com/app:1"}]}}
                """.formatted(serviceAccount, serviceAccount);
    }

    private static double delta(String before, String after, String source) {
        return FaultKit.metric(after, LOOKUPS.formatted(source)) - FaultKit.metric(before, LOOKUPS.formatted(source));
    }

    /** Lines in which the API server reports a webhook call that failed (a timeout among them). */
    private static long webhookFailuresLogged() {
        try (var lines = Files.lines(E2eCluster.DIR.resolve("kube/apiserver.log"))) {
            return lines.filter(l -> l.contains("Failed calling webhook")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
