package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: the API server goes away while idgate runs (etcd stays). idgate keeps answering from its
 * caches and stays ready, then its informers reconnect to the API server that comes back on the same
 * address, with no idgate restart.
 *
 * <p>Readiness stays UP during the outage, by design: the caches hold everything as of the last event,
 * and nothing can change while the API server is down (every change goes through it); an unready idgate
 * would only take the pod webhooks (failurePolicy Fail) down with the control plane, and make the first
 * reviews after its return fail too. Ready means "can judge", not "is connected".
 */
@Tag("e2e")
class ApiServerOutageE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();
    private static final String NAMESPACE = "faults-outage";
    private static final String SERVICE_ACCOUNT_LABEL = "\"/metadata/labels/idgate.io~1service-account\",\"value\":\"known\"";
    private static final String GCP_LABEL = "\"/metadata/labels/idgate.io~1gcp-service-account\"";
    private static final String LOOKUPS_FROM_API = "idgate_serviceaccount_lookups_total{source=\"api\"}";
    private static final String LOOKUPS_FROM_CACHE = "idgate_serviceaccount_lookups_total{source=\"cache\"}";

    @Test
    void withTheApiServerGoneIdgateAnswersFromItsCachesAndReconnectsWhenItIsBack() {
        k8s.namespace(NAMESPACE);
        k8s.kubectlOk("-n", NAMESPACE, "create", "serviceaccount", "known");
        k8s.kubectlIn(guardrail("deny"), "apply", "-f", "-");
        HttpClient client = k8s.client();
        E2eCluster.await("guardrail in force", () -> !policyReview(client).path("allowed").asBoolean(true));
        E2eCluster.await("ServiceAccount cached", () -> FaultKit.patch(podReview(client, "known")).contains(SERVICE_ACCOUNT_LABEL));

        k8s.stopApiServer();
        int answered = 0;
        try {
            assertFalse(k8s.kubectl("get", "namespace", NAMESPACE).ok(), "the API server is gone");
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < deadline) {
                assertTrue(FaultKit.patch(podReview(client, "known")).contains(SERVICE_ACCOUNT_LABEL), "identity from the cache");
                JsonNode policy = policyReview(client);
                assertFalse(policy.path("allowed").asBoolean());
                assertTrue(policy.path("status").path("message").asText().startsWith("[faults-outage-ports (idgate-system/faults-outage)]"),
                        policy.toString());
                assertEquals(200, k8s.managementGet("/q/health/ready"), "ready: the caches still judge");
                answered++;
            }
            // a ServiceAccount it has never seen cannot be asked for: refused within the lookup bound
            long start = System.nanoTime();
            JsonNode unknown = podReview(client, "never-seen");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(unknown.path("allowed").asBoolean(), unknown.toString());
            assertTrue(unknown.path("status").path("message").asText().contains("ServiceAccount \"faults-outage/never-seen\" cannot be read"),
                    unknown.toString());
            assertTrue(millis < 1_500, "bounded by the 500 ms lookup: " + millis + " ms");
            E2eCluster.log("API server down: %d rounds of pod + NetworkPolicy reviews answered from the caches in 3 s, readiness UP; "
                    + "an unknown ServiceAccount refused in %d ms", answered, millis);
        } finally {
            k8s.startApiServer();
        }

        // Changes made after the return can only reach idgate through reconnected informers: the
        // ServiceAccount it has cached changes (a cache hit never asks the API server), and so does
        // the guardrail (no fallback at all). "after" is created first: the same watch delivers it first.
        long back = System.nanoTime();
        k8s.kubectlOk("-n", NAMESPACE, "create", "serviceaccount", "after");
        k8s.kubectlOk("-n", NAMESPACE, "annotate", "serviceaccount", "known", "iam.gke.io/gcp-service-account=known@faults.iam.gserviceaccount.com");
        k8s.kubectlIn(guardrail("warn"), "apply", "-f", "-");
        E2eCluster.await("ServiceAccount change seen", () -> FaultKit.patch(podReview(client, "known")).contains(GCP_LABEL));
        E2eCluster.await("guardrail change seen", () -> policyReview(client).path("allowed").asBoolean(false));
        long reconnectMillis = (System.nanoTime() - back) / 1_000_000;

        String before = k8s.metrics();
        assertTrue(FaultKit.patch(podReview(client, "after")).contains("\"value\":\"after\""), "created after the return: labelled");
        String after = k8s.metrics();
        assertEquals(FaultKit.metric(before, LOOKUPS_FROM_API), FaultKit.metric(after, LOOKUPS_FROM_API), "from the cache, not a GET");
        assertEquals(FaultKit.metric(before, LOOKUPS_FROM_CACHE) + 1, FaultKit.metric(after, LOOKUPS_FROM_CACHE));
        var pod = k8s.kubectlIn("""
                apiVersion: v1
                kind: Pod
                metadata: {name: after-outage, namespace: faults-outage}
                spec:
                  serviceAccountName: known
                  containers: [{name: app, image: registry.example.com/app:1}]
                """, "apply", "-f", "-");
        assertTrue(pod.ok(), "the API server calls idgate again: " + pod);
        E2eCluster.log("API server back: ServiceAccount and guardrail changes reached idgate %d ms after the changes began, no idgate restart",
                reconnectMillis);
    }

    private static JsonNode podReview(HttpClient client, String serviceAccount) {
        return FaultKit.review(client, k8s, "/mutate/pods", FaultKit.podReview(NAMESPACE, "p", serviceAccount, "{}"));
    }

    /** Breaks the guardrail below (no ports). */
    private static JsonNode policyReview(HttpClient client) {
        return FaultKit.review(client, k8s, "/validate/networkpolicies", FaultKit.networkPolicyReview(NAMESPACE, "no-ports",
                "{\"podSelector\":{},\"policyTypes\":[\"Ingress\"],\"ingress\":[{\"from\":[{\"podSelector\":"
                        + "{\"matchLabels\":{\"idgate.io/service-account\":\"known\"}}}]}]}"));
    }

    private static String guardrail(String action) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: faults-outage
                  namespace: idgate-system
                  labels: {idgate.io/guardrails: "true"}
                data:
                  ports.yaml: |
                    rules:
                      - name: faults-outage-ports
                        action: %s
                        match: {namespaces: [faults-outage]}
                        require: {ports: true}
                """.formatted(action);
    }
}
