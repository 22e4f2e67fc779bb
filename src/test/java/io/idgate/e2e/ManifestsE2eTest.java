package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shipped install (k8s/overlays/certs) is accepted by the real API server's validation. */
@Tag("e2e")
class ManifestsE2eTest {

    private final E2eCluster k8s = E2eCluster.get();

    @Test
    void theCertsOverlayIsAcceptedByTheApiServer() throws Exception {
        var generated = new ProcessBuilder(List.of("k8s/overlays/certs/generate.sh", E2eCluster.CERTS.toString()))
                .directory(E2eCluster.ROOT.toFile()).inheritIO().start();
        assertEquals(0, generated.waitFor());
        var built = k8s.kubectlOk("kustomize", "k8s/overlays/certs");
        // v1.20 serves PodDisruptionBudget only as policy/v1beta1 (same fields); newer servers take policy/v1
        String manifests = built.out().replace("apiVersion: policy/v1\n", "apiVersion: policy/v1beta1\n");
        // server-side dry run: full validation and admission, nothing stored (a real apply would point
        // the webhooks at a Service with no pods behind it here)
        var applied = k8s.kubectlIn(manifests, "apply", "--dry-run=server", "-f", "-");
        assertTrue(applied.ok(), applied.toString());
        for (String kind : List.of("deployment.apps/idgate", "service/idgate", "poddisruptionbudget.policy/idgate",
                "networkpolicy.networking.k8s.io/idgate", "secret/idgate-tls",
                "mutatingwebhookconfiguration.admissionregistration.k8s.io/idgate",
                "validatingwebhookconfiguration.admissionregistration.k8s.io/idgate")) {
            assertTrue(applied.out().contains(kind), kind + " in:\n" + applied.out());
        }
    }

    @Test
    void theClientCaComponentMountsTheCaAndSetsTheSettings() throws Exception {
        java.nio.file.Path overlay = java.nio.file.Files.createDirectories(E2eCluster.ROOT.resolve("k8s/overlays/e2e-client-ca"));
        try {
            java.nio.file.Files.writeString(overlay.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    resources: [../../base]
                    components: [../../components/client-ca]
                    """);
            var built = k8s.kubectlOk("kustomize", overlay.toString());
            assertTrue(built.out().contains("name: IDGATE_TLS_CLIENT_CA\n          value: /etc/idgate/client-ca/ca.crt")
                    && built.out().contains("mountPath: /etc/idgate/client-ca") && built.out().contains("secretName: idgate-client-ca"), built.out());
            String deployment = java.util.Arrays.stream(built.out().split("\n---\n")).filter(doc -> doc.contains("\nkind: Deployment\n"))
                    .findFirst().orElseThrow();
            var applied = k8s.kubectlIn(deployment, "apply", "--dry-run=server", "-f", "-");
            assertTrue(applied.ok(), applied.toString());
        } finally {
            java.nio.file.Files.deleteIfExists(overlay.resolve("kustomization.yaml"));
            java.nio.file.Files.deleteIfExists(overlay);
        }
    }
}
