package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.idgate.testing.ClientKeyFiles;
import io.idgate.testing.ClientKeyFiles.Form;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A kubeconfig whose client key the Kubernetes client cannot use is one line naming the context and the server, exit 2. */
class ClusterCredentialsTest {

    @TempDir
    Path dir;
    private String kubeconfigBefore;

    @BeforeEach
    void kubeconfigWithAnEd25519Key() {
        Path ca = ClientKeyFiles.ca(dir, "ca");
        Path key = ClientKeyFiles.key(dir, "user", Form.ED25519_PKCS8);
        Path crt = ClientKeyFiles.certificate(key, "/CN=user", ca, dir.resolve("ca.key"));
        Path kubeconfig = ClientKeyFiles.kubeconfig(dir.resolve("kubeconfig"), "https://127.0.0.1:6443", ca, crt, key);
        kubeconfigBefore = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", kubeconfig.toString()); // fabric8 reads it before KUBECONFIG
        // a mock-server test earlier in this JVM may have left the master URL that fabric8 prefers to the kubeconfig's
        masterBefore = System.clearProperty(io.fabric8.kubernetes.client.Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
    }

    private String masterBefore;

    @AfterEach
    void restore() {
        if (masterBefore != null) {
            System.setProperty(io.fabric8.kubernetes.client.Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, masterBefore);
        }
        if (kubeconfigBefore == null) {
            System.clearProperty("kubeconfig");
        } else {
            System.setProperty("kubeconfig", kubeconfigBefore);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"audit", "reach list --cluster"})
    void anUnusableClientKeyIsOneLine(String command) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = Cli.run(command.split(" "), new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Cli::client);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, exit, stderr);
        String expected = "cannot use the client certificate, key or CA of the kubeconfig's current context (https://127.0.0.1:6443/):"
                + " Invalid DER: object is not integer; idgate reads unencrypted PEM keys, RSA or EC P-256/P-384/P-521 (PKCS#1, SEC1 or PKCS#8)";
        assertEquals(1, stderr.lines().filter(l -> l.contains(expected)).count(), stderr);
        assertFalse(stderr.contains("Exception") || stderr.contains("\tat "), stderr);
    }
}
