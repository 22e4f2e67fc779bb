package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The API server's client certificate, on the real API server: the suite's cluster is started with
 * --admission-control-config-file (see E2eCluster), and idgate requires a certificate from its client
 * CA on the webhook port.
 */
@Tag("e2e")
class TransportE2eTest {

    private final E2eCluster k8s = E2eCluster.get();

    @Test
    void theApiServerPresentsItsCertificateAndACallerWithoutOneIsRefused() throws Exception {
        k8s.namespace("e2e-mtls");
        k8s.kubectlOk("-n", "e2e-mtls", "create", "serviceaccount", "web");
        k8s.kubectlOk("-n", "e2e-mtls", "run", "web-0", "--image=busybox", "--restart=Never", "--overrides", "{\"spec\":{\"serviceAccountName\":\"web\"}}");
        assertEquals("web", k8s.kubectlJson("-n", "e2e-mtls", "get", "pod", "web-0").path("metadata").path("labels").path("idgate.io/service-account").asText(),
                "the pod went through idgate, which answers only certified callers");

        HttpClient anonymous = HttpClient.newBuilder().sslContext(E2eCluster.trusting(E2eCluster.CERTS.resolve("ca.crt"))).build();
        HttpResponse<String> direct = anonymous.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + k8s.port() + "/mutate/pods"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, direct.statusCode(), direct.body());
    }

    @Test
    void whenTheApiServerPresentsNoCertificateThePodIsRefusedNotAdmittedWithoutIdentity() throws Exception {
        k8s.namespace("e2e-mtls-none");
        k8s.kubectlOk("-n", "e2e-mtls-none", "create", "serviceaccount", "web");
        // the admission kubeconfig names this host:port with no credentials: the API server calls it bare
        k8s.registerPodMutatingWebhook("e2e-no-client-certificate", "bare.mutate.idgate.io",
                "https://" + k8s.hostPortWithoutClientCertificate() + "/mutate/pods", "e2e-mtls-none");
        try {
            E2eCluster.Result created = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) { // registration takes effect asynchronously
                created = k8s.kubectl("-n", "e2e-mtls-none", "run", "probe", "--image=busybox", "--restart=Never", "--dry-run=server",
                        "--overrides", "{\"spec\":{\"serviceAccountName\":\"web\"}}");
                if (!created.ok()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertFalse(created.ok(), "a pod was admitted through a webhook idgate refused: " + created);
            assertTrue(created.err().contains("bare.mutate.idgate.io") && created.err().contains("a client certificate is required"), created.err());
        } finally {
            k8s.kubectlOk("delete", "mutatingwebhookconfiguration", "e2e-no-client-certificate");
        }
    }
}
