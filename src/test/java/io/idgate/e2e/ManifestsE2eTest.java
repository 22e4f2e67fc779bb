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
        // the two steps of make deploy: idgate itself, then its webhook registrations
        String built = k8s.kubectlOk("kustomize", "k8s/overlays/certs").out() + "---\n"
                + k8s.kubectlOk("kustomize", "k8s/overlays/certs/webhooks").out();
        // v1.20 serves PodDisruptionBudget only as policy/v1beta1 (same fields); newer servers take policy/v1
        String manifests = built.replace("apiVersion: policy/v1\n", "apiVersion: policy/v1beta1\n");
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

    /**
     * dist/install.yaml and dist/webhooks.yaml, the file install, in one server-side dry run. It carries cert-manager's
     * Issuers and Certificates, whose CRDs a cluster gets from cert-manager (not from idgate) and this
     * API server does not have: the test installs stand-ins (same group, kinds and scope, any spec), so
     * the dry run checks that every object of the file resolves and that idgate's own objects pass the
     * server's validation; the cert-manager objects' specs are left to cert-manager's schema.
     */
    @Test
    void theOneFileInstallIsAcceptedByTheApiServer() throws Exception {
        StringBuilder crds = new StringBuilder();
        for (String kind : List.of("Issuer", "Certificate")) {
            String plural = kind.toLowerCase() + "s";
            crds.append("""
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata: {name: %s.cert-manager.io}
                    spec:
                      group: cert-manager.io
                      names: {kind: %s, listKind: %sList, plural: %s, singular: %s}
                      scope: Namespaced
                      versions:
                        - name: v1
                          served: true
                          storage: true
                          schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                    ---
                    """.formatted(plural, kind, kind, plural, kind.toLowerCase()));
        }
        k8s.kubectlIn(crds.toString(), "apply", "-f", "-");
        k8s.kubectlOk("wait", "--for", "condition=established", "--timeout=60s",
                "crd/issuers.cert-manager.io", "crd/certificates.cert-manager.io");
        String install = java.nio.file.Files.readString(E2eCluster.ROOT.resolve("dist/install.yaml"));
        String webhooks = java.nio.file.Files.readString(E2eCluster.ROOT.resolve("dist/webhooks.yaml"));
        assertTrue(!install.contains("WebhookConfiguration"), "install.yaml registers no webhook: webhooks.yaml does, once idgate is ready");
        // v1.20 serves PodDisruptionBudget only as policy/v1beta1 (same fields); newer servers take policy/v1
        var applied = k8s.kubectlIn((install + "\n---\n" + webhooks).replace("apiVersion: policy/v1\n", "apiVersion: policy/v1beta1\n"),
                "apply", "--dry-run=server", "-f", "-");
        assertTrue(applied.ok(), applied.toString());
        for (String object : List.of("namespace/idgate-system", "serviceaccount/idgate", "clusterrole.rbac.authorization.k8s.io/idgate",
                "deployment.apps/idgate", "service/idgate", "poddisruptionbudget.policy/idgate", "networkpolicy.networking.k8s.io/idgate",
                "issuer.cert-manager.io/idgate-selfsigned", "issuer.cert-manager.io/idgate-ca",
                "certificate.cert-manager.io/idgate-ca", "certificate.cert-manager.io/idgate-serving",
                "mutatingwebhookconfiguration.admissionregistration.k8s.io/idgate",
                "validatingwebhookconfiguration.admissionregistration.k8s.io/idgate")) {
            assertTrue(applied.out().contains(object), object + " in:\n" + applied.out());
        }
        assertTrue(webhooks.contains("cert-manager.io/inject-ca-from: idgate-system/idgate-serving"), "the CA injector's annotation");
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
