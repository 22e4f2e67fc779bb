package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The reachability preview through the real API server: kubectl prints what a policy would open, and a dry run stores nothing. */
@Tag("e2e")
class ReachPreviewE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();

    private static final String ALLOW = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-web-to-api, namespace: e2e-reach}
            spec:
              podSelector: {matchLabels: {app: api}}
              policyTypes: [Ingress]
              ingress:
                - from: [{podSelector: {matchLabels: {idgate.io/service-account: web}}}]
                  ports: [{protocol: TCP, port: 8080}]
            """;

    @Test
    void aServerDryRunPrintsWhatThePolicyOpensAndStoresNothing() {
        k8s.namespace("e2e-reach");
        for (String sa : new String[] {"web", "api"}) {
            var created = k8s.kubectl("-n", "e2e-reach", "create", "serviceaccount", sa);
            assertTrue(created.ok() || created.err().contains("AlreadyExists"), created.toString());
        }
        var applied = k8s.kubectlIn("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: e2e-reach, labels: {app: web}}
                spec:
                  serviceAccountName: web
                  containers: [{name: app, image: registry.example.com/web:1}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: api, namespace: e2e-reach, labels: {app: api}}
                spec:
                  serviceAccountName: api
                  containers: [{name: app, image: registry.example.com/api:1, ports: [{name: http, containerPort: 8080}]}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny, namespace: e2e-reach}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """, "apply", "-f", "-");
        assertTrue(applied.ok(), applied.toString());
        String expected = "Warning: reachability: opens e2e-reach/web[ServiceAccount] => e2e-reach/api[ServiceAccount] : TCP 8080";
        // the pods and the default-deny reach idgate's informers a moment after kubectl returns
        long millis = E2eCluster.await("preview shows the opened edge", () -> {
            var dryRun = k8s.kubectlIn(ALLOW, "apply", "--dry-run=server", "-f", "-");
            return dryRun.ok() && dryRun.err().contains(expected);
        });
        var dryRun = k8s.kubectlIn(ALLOW, "apply", "--dry-run=server", "-f", "-");
        E2eCluster.log("preview seen after %d ms; kubectl printed:%n%s%s", millis, dryRun.err(), dryRun.out());
        assertTrue(dryRun.ok() && dryRun.out().contains("(server dry run)"), dryRun.toString());
        assertTrue(dryRun.err().contains(expected), dryRun.err());
        assertFalse(k8s.kubectl("-n", "e2e-reach", "get", "networkpolicy", "allow-web-to-api").ok(), "a dry run stores nothing");
    }
}
