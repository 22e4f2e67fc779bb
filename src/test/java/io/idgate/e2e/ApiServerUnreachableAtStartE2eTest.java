package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: idgate starts while it cannot reach its API server. It stays unready and decides nothing it
 * cannot judge (no pod admitted, no NetworkPolicy judged against guardrails it has not read), then
 * becomes ready by itself once the API server is reachable.
 *
 * <p>The API server stays up for everyone else: idgate alone reads it through a {@link TcpProxy} that
 * does not listen yet (connection refused, as for a stopped API server), so pods and NetworkPolicies
 * still reach idgate through the real API server's webhooks.
 */
@Tag("e2e")
class ApiServerUnreachableAtStartE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();
    private static final String NAMESPACE = "faults-start";
    private static final String RULE_LINE = "[faults-start-ports (idgate-system/faults-start)] spec.ingress[0].ports: ";

    @Test
    void untilItReadsTheClusterIdgateIsUnreadyAndAdmitsNothingThenReadyWithoutRestart() {
        k8s.namespace(NAMESPACE);
        k8s.kubectlOk("-n", NAMESPACE, "create", "serviceaccount", "web");
        k8s.kubectlIn(guardrail(), "apply", "-f", "-");
        E2eCluster.await("guardrail in force", () -> k8s.kubectlIn(policy(), "apply", "--dry-run=server", "-f", "-").err().contains(RULE_LINE));
        var api = new ApiServer(k8s);
        var client = k8s.client();
        try (var proxy = new TcpProxy(api.port())) {
            k8s.stopIdgate();
            try {
                k8s.startIdgate(FaultKit.kubeconfigVia(proxy.port()), false);
                // A few seconds unreachable: long enough for idgate to have tried and failed, and for a
                // readiness that wrongly flipped to show it.
                long deadline = System.nanoTime() + 3_000_000_000L;
                int readinessChecks = 0;
                while (System.nanoTime() < deadline) {
                    assertEquals(503, k8s.managementGet("/q/health/ready"), "not ready while the API server is unreachable");
                    readinessChecks++;
                    FaultKit.sleep(200);
                }

                var pod = k8s.kubectlIn(pod("during"), "apply", "--dry-run=server", "-f", "-");
                assertFalse(pod.ok(), "no identity can be derived without the groups, so no pod: " + pod);
                assertTrue(pod.err().contains("admission webhook \"pods.mutate.idgate.io\" denied the request: "
                        + "idgate has not read the guardrail ConfigMaps (they define the groups of a pod's identity) from the API server yet"),
                        pod.err());

                var policy = k8s.kubectlIn(policy(), "apply", "--dry-run=server", "-f", "-");
                assertFalse(policy.ok(), "not judged against guardrails idgate has not read: " + policy);
                assertTrue(policy.err().contains("admission webhook \"networkpolicies.validate.idgate.io\" denied the request: "
                        + "idgate has not read the guardrail ConfigMaps, the NetworkPolicies and (for reachability) the pods and namespaces from the API server yet"),
                        policy.err());

                // the validating webhook too: labels claiming this ServiceAccount cannot be checked, so refused
                JsonNode claimed = FaultKit.review(client, k8s, "/validate/pods", FaultKit.podReview(NAMESPACE, "claimed", "web",
                        "{\"idgate.io/namespace\":\"faults-start\",\"idgate.io/service-account\":\"web\"}"));
                assertFalse(claimed.path("allowed").asBoolean(), claimed.toString());
                E2eCluster.log("API server unreachable at start: readiness 503 on %d checks over 3 s; pod, NetworkPolicy and "
                        + "claimed identity refused", readinessChecks);

                proxy.open();
                long readyMillis = E2eCluster.await("ready once the API server is reachable, without a restart",
                        () -> k8s.managementGet("/q/health/ready") == 200);
                E2eCluster.log("API server reachable: idgate ready %d ms later, same process", readyMillis);

                var created = k8s.kubectlIn(pod("after"), "apply", "-f", "-");
                assertTrue(created.ok(), created.toString());
                assertEquals("web", k8s.kubectlJson("-n", NAMESPACE, "get", "pod", "after").path("metadata").path("labels")
                        .path("idgate.io/service-account").asText());
                var judged = k8s.kubectlIn(policy(), "apply", "--dry-run=server", "-f", "-");
                assertFalse(judged.ok());
                assertTrue(judged.err().contains(RULE_LINE), "judged by the guardrail now: " + judged.err());
            } finally {
                k8s.stopIdgate();
                k8s.startIdgate();
            }
        }
    }

    private static String pod(String name) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: faults-start}
                spec:
                  serviceAccountName: web
                  containers: [{name: app, image: registry.example.com/app:1}]
                """.formatted(name);
    }

    /** Breaks the guardrail below (no ports): refused when judged, refused when it cannot be judged. */
    private static String policy() {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: no-ports, namespace: faults-start}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{podSelector: {matchLabels: {idgate.io/service-account: web}}}]
                """;
    }

    private static String guardrail() {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: faults-start
                  namespace: idgate-system
                  labels: {idgate.io/guardrails: "true"}
                data:
                  ports.yaml: |
                    rules:
                      - name: faults-start-ports
                        match: {namespaces: [faults-start]}
                        require: {ports: true}
                """;
    }
}
