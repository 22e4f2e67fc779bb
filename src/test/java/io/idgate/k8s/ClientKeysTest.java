package io.idgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.idgate.testing.ClientKeyFiles;
import io.idgate.testing.ClientKeyFiles.Form;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Kubernetes client reads the client key of a kubeconfig in every form cluster tools write, once
 * {@link ClientKeys} has named its algorithm. Building the client loads the key (its key store is made
 * then), so a client that builds has read it; the API server accepting it is ClientKeysE2eTest.
 */
class ClientKeysTest {

    @TempDir
    static Path dir;
    private static Path ca;

    @BeforeAll
    static void ca() {
        ca = ClientKeyFiles.ca(dir, "ca");
    }

    @ParameterizedTest
    @CsvSource({"EC_SEC1, EC", "EC_PKCS8, EC", "RSA_PKCS1, RSA", "RSA_PKCS8, RSA"})
    void everyKeyFormLoadsOnceItsAlgorithmIsNamed(Form form, String algorithm) throws IOException {
        Config config = ClientKeys.nameAlgorithm(kubeconfig(form));
        assertEquals(algorithm, config.getClientKeyAlgo());
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            assertNotNull(client);
        }
    }

    @Test
    void fabric8AloneReadsAPkcs8EcKeyAsRsaAndFails() throws IOException {
        Config config = kubeconfig(Form.EC_PKCS8);
        assertNull(config.getClientKeyAlgo());
        var e = assertThrows(KubernetesClientException.class, () -> new KubernetesClientBuilder().withConfig(config).build());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        // the failure of issue #14; when a fabric8 upgrade reads these keys itself, ClientKeys can go
        assertEquals("Invalid DER: object is not integer", root.getMessage());
    }

    @Test
    void aKeyFileIsReadAsKeyDataIs() throws IOException {
        Config config = kubeconfig(Form.EC_PKCS8);
        Path file = Files.write(dir.resolve("from-file.key"), java.util.Base64.getDecoder().decode(config.getClientKeyData()));
        config.setClientKeyData(null);
        config.setClientKeyFile(file.toString());
        assertEquals("EC", ClientKeys.nameAlgorithm(config).getClientKeyAlgo());
    }

    @Test
    void aKeyOfAnotherAlgorithmIsLeftForTheClientToRefuse() throws IOException {
        assertNull(ClientKeys.nameAlgorithm(kubeconfig(Form.ED25519_PKCS8)).getClientKeyAlgo());
    }

    @Test
    void anAlgorithmAlreadyNamedIsKept() throws IOException {
        Config config = kubeconfig(Form.EC_PKCS8);
        config.setClientKeyAlgo("RSA"); // e.g. quarkus.kubernetes-client.client-key-algo: the operator's word stands
        assertEquals("RSA", ClientKeys.nameAlgorithm(config).getClientKeyAlgo());
    }

    private static Config kubeconfig(Form form) throws IOException {
        Path key = ClientKeyFiles.key(dir, form.name().toLowerCase(), form);
        Path crt = ClientKeyFiles.certificate(key, "/CN=" + form.name().toLowerCase(), ca, dir.resolve("ca.key"));
        Path kubeconfig = ClientKeyFiles.kubeconfig(dir.resolve(form.name().toLowerCase() + ".kubeconfig"), "https://127.0.0.1:6443", ca, crt, key);
        return Config.fromKubeconfig(Files.readString(kubeconfig));
    }
}
