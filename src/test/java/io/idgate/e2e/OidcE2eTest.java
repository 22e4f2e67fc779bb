package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The OIDC walk-through of docs/oidc.md on the real API server: the example provider's token on a
 * ServiceAccount puts its pods in a guardrail group, and a guarded namespace accepts traffic selected
 * by that group; a token copied to another ServiceAccount is worthless.
 */
@Tag("e2e")
class OidcE2eTest {

    private final E2eCluster k8s = E2eCluster.get();

    private String idp(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", "examples/oidc/mint-token.py"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(E2eCluster.ROOT.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("IDP_DIR", E2eCluster.DIR.resolve("idp").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "mint-token.py " + String.join(" ", args));
        return out;
    }

    private static String pod(String name, String serviceAccount) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: e2e-oidc}
                spec:
                  serviceAccountName: %s
                  containers: [{name: app, image: registry.example.com/app:1}]
                """.formatted(name, serviceAccount);
    }

    @Test
    void aSignedTokenOnAServiceAccountAdmitsItsPodsToAGuardedWorkload() throws Exception {
        idp("keys");
        var applied = k8s.kubectlIn(idp("configmap"), "apply", "-f", "-");
        assertTrue(applied.ok(), applied.toString());
        k8s.namespace("e2e-oidc", "vault-a");
        k8s.kubectlOk("-n", "e2e-oidc", "create", "serviceaccount", "api");
        k8s.kubectlOk("-n", "e2e-oidc", "create", "serviceaccount", "other");
        String token = idp("token", "--sub", "system:serviceaccount:e2e-oidc:api", "--groups", "payments").strip();
        k8s.kubectlOk("-n", "e2e-oidc", "annotate", "serviceaccount", "api", "idgate.io/identity-token=" + token);

        E2eCluster.await("issuer applied", () -> k8s.kubectlIn(pod("api-0", "api"), "apply", "--dry-run=server", "-o", "json", "-f", "-")
                .out().contains("groups.idgate.io/payments-verified"));
        assertTrue(k8s.kubectlIn(pod("api-0", "api"), "apply", "-f", "-").ok());
        JsonNode meta = k8s.kubectlJson("-n", "e2e-oidc", "get", "pod", "api-0").path("metadata");
        assertEquals("true", meta.path("labels").path("groups.idgate.io/payments-verified").asText());
        assertEquals("demo-idp", meta.path("labels").path("idgate.io/verified-by").asText());

        // from the guarded workload's side: traffic selected by the verified group is admitted ...
        var byGroup = k8s.kubectlIn("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: from-payments, namespace: vault-a}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{podSelector: {matchLabels: {groups.idgate.io/payments-verified: "true"}}, namespaceSelector: {}}]
                      ports: [{protocol: TCP, port: 8200}]
                """, "apply", "-f", "-");
        assertTrue(byGroup.ok(), byGroup.toString());
        // ... and traffic selected by an app label is not
        var byApp = k8s.kubectlIn("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: from-app, namespace: vault-a}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: payments}}, namespaceSelector: {}}]
                      ports: [{protocol: TCP, port: 8200}]
                """, "apply", "-f", "-");
        assertFalse(byApp.ok());
        assertTrue(byApp.err().contains("[vault-ingress-from-payments (idgate-system/guardrails-oidc)] spec.ingress[0].from[0]"), byApp.err());

        // the same token copied to another ServiceAccount vouches for nothing, and kubectl says why
        k8s.kubectlOk("-n", "e2e-oidc", "annotate", "serviceaccount", "other", "idgate.io/identity-token=" + token);
        var copied = k8s.kubectlIn(pod("other-0", "other"), "apply", "-f", "-");
        assertTrue(copied.ok(), copied.toString());
        assertTrue(copied.err().contains("identity token ignored: it is bound to \"system:serviceaccount:e2e-oidc:api\""), copied.err());
        JsonNode otherLabels = k8s.kubectlJson("-n", "e2e-oidc", "get", "pod", "other-0").path("metadata").path("labels");
        assertTrue(otherLabels.path("groups.idgate.io/payments-verified").isMissingNode(), otherLabels.toString());
        assertTrue(otherLabels.path("idgate.io/verified-by").isMissingNode(), otherLabels.toString());
    }
}
