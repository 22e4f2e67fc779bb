package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.testing.ClientKeyFiles;
import io.idgate.testing.ClientKeyFiles.Form;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #14: idgate reads the cluster with a kubeconfig whose client key is EC (SEC1 as k3s writes it,
 * PKCS#8 as openssl genpkey and cert-manager write it) or RSA (PKCS#1 as kubeadm and kind write it,
 * PKCS#8): the API server authenticates the certificate (users of O=system:masters, signed by its
 * client CA), both for the command line and for the server.
 */
@Tag("e2e")
class ClientKeysE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();
    private static final String NAMESPACE = "e2e-keys";

    @TempDir
    Path dir;

    @BeforeAll
    static void aPodToRead() {
        k8s.namespace(NAMESPACE);
        k8s.kubectlOk("-n", NAMESPACE, "run", "web-0", "--image=busybox", "--restart=Never");
    }

    @ParameterizedTest
    @EnumSource(value = Form.class, names = {"EC_SEC1", "EC_PKCS8", "RSA_PKCS1", "RSA_PKCS8"})
    void theCommandLineReadsTheClusterWithTheKey(Form form) {
        Path kubeconfig = k8s.clientKubeconfig(dir, "/O=system:masters/CN=e2e-" + form.name().toLowerCase(), form);

        var reach = k8s.idgateCli(kubeconfig, "reach", "list", "--cluster");
        assertEquals(0, reach.exit(), reach.toString());
        assertTrue(reach.out().contains(NAMESPACE + "/web-0[Pod]"), reach.out());

        // the whole shared cluster is audited: other suites' objects may be in breach (exit 1); what counts is that it read it
        var audit = k8s.idgateCli(kubeconfig, "audit");
        assertTrue(audit.exit() == 0 || audit.exit() == 1, audit.toString());
        assertTrue(audit.out().contains("Pod " + NAMESPACE + "/web-0  cluster") && !audit.out().contains("denied   Pod " + NAMESPACE + "/web-0"),
                audit.out());
    }

    /** The control: a certificate from another CA gets nothing, so the successes above are the certificate's. */
    @Test
    void aCertificateTheApiServerDidNotIssueIsRefused() {
        Path otherCa = ClientKeyFiles.ca(dir, "other-ca");
        Path key = ClientKeyFiles.key(dir, "stranger", Form.EC_SEC1);
        Path crt = ClientKeyFiles.certificate(key, "/O=system:masters/CN=stranger", otherCa, dir.resolve("other-ca.key"));
        String server = k8s.apiserverEnv().get("KUBE_E2E_APISERVER");
        Path kubeconfig = ClientKeyFiles.kubeconfig(dir.resolve("stranger.kubeconfig"), server, E2eCluster.DIR.resolve("kube/certs/ca.crt"), crt, key);

        var reach = k8s.idgateCli(kubeconfig, "reach", "list", "--cluster");
        assertEquals(2, reach.exit(), reach.toString());
        // the API server does not believe the certificate, so the request is anonymous's (403), not system:masters'
        assertTrue(reach.err().contains("refused the list requests (HTTP 403)"), reach.err());
    }

    @ParameterizedTest
    @EnumSource(value = Form.class, names = {"EC_SEC1", "EC_PKCS8"})
    void theServerStartsAndBecomesReadyWithAnEcKey(Form form) {
        Path kubeconfig = k8s.clientKubeconfig(dir, "/O=system:masters/CN=e2e-server-" + form.name().toLowerCase(), form);
        k8s.stopIdgate();
        try {
            // ready = its informers listed ServiceAccounts, NetworkPolicies, guardrail ConfigMaps, pods and namespaces with this key
            k8s.startIdgate(kubeconfig, true);
            var pod = k8s.kubectlJson("-n", NAMESPACE, "run", "labelled-" + form.name().toLowerCase().replace('_', '-'), "--image=busybox",
                    "--restart=Never", "--dry-run=server");
            assertEquals("default", pod.path("metadata").path("labels").path("idgate.io/service-account").asText(), pod.toString());
        } finally {
            k8s.stopIdgate();
            k8s.startIdgate();
        }
    }
}
