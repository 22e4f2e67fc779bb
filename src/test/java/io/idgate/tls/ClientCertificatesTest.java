package io.idgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The name check on the verified client chain, both ways, and that remembering acceptances changes no answer. */
class ClientCertificatesTest {

    private static X509Certificate apiServer;
    private static X509Certificate someoneElse;

    @BeforeAll
    static void certificates() throws Exception {
        Path dir = Path.of("target/client-certificates-test");
        TransportSecurityTest.generate(dir.resolve("apiserver"), "--force");
        TransportSecurityTest.generate(dir.resolve("other"), "--force", "--client-cn", "someone-else");
        apiServer = read(dir.resolve("apiserver/apiserver-client.crt"));
        someoneElse = read(dir.resolve("other/apiserver-client.crt"));
    }

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void anAcceptedNameIsAnsweredAndAnotherRefusedWith403EveryTime() {
        ClientCertificates policy = new ClientCertificates(Optional.of(List.of("kube-apiserver")));
        for (int i = 0; i < 3; i++) {
            assertTrue(policy.check(List.of(apiServer)).isEmpty(), "round " + i);
            var refusal = policy.check(List.of(someoneElse));
            assertTrue(refusal.isPresent(), "round " + i);
            assertEquals(403, refusal.get().status());
            assertTrue(refusal.get().message().contains("someone-else") && refusal.get().message().contains("kube-apiserver"), refusal.get().message());
        }
    }

    @Test
    void aCertificateAcceptedByOnePolicyIsNotAcceptedByAnotherWithOtherNames() {
        assertTrue(new ClientCertificates(Optional.of(List.of("kube-apiserver"))).check(List.of(apiServer)).isEmpty());
        assertTrue(new ClientCertificates(Optional.of(List.of("someone-else"))).check(List.of(apiServer)).isPresent());
        assertTrue(new ClientCertificates(Optional.of(List.of("someone-else"))).check(List.of(someoneElse)).isEmpty());
    }

    @Test
    void noCertificateIsRefusedWith401() {
        assertEquals(401, new ClientCertificates(Optional.of(List.of("kube-apiserver"))).check(List.of()).orElseThrow().status());
    }

    @Test
    void withoutNamesAnyVerifiedCertificateIsAnswered() {
        assertTrue(new ClientCertificates(Optional.empty()).check(List.of(someoneElse)).isEmpty());
    }
}
