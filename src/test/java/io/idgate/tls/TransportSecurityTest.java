package io.idgate.tls;

import static io.idgate.testing.Management.management;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.testing.TlsClients;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The webhook port's transport security, over real TLS: protocols and cipher suites, client
 * certificates of the API server, and certificate rotation without a failed handshake. Certificates
 * come from certs/gen-certs.sh, as in a deployment.
 */
@QuarkusTest
@TestProfile(TransportSecurityTest.ClientCertificates.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransportSecurityTest {

    static final Path CERTS = Path.of("target/transport-certs");
    static final Path OTHER_CERTS = Path.of("target/transport-certs-other");

    public static class ClientCertificates implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            generate(CERTS, "--force");
            generate(OTHER_CERTS, "--force");
            return Map.of(
                    "quarkus.http.test-ssl-port", "0",
                    "quarkus.tls.key-store.pem.0.cert", CERTS.resolve("tls.crt").toString(),
                    "quarkus.tls.key-store.pem.0.key", CERTS.resolve("tls.key").toString(),
                    "idgate.tls.client-ca", CERTS.resolve("client-ca.crt").toString(),
                    "idgate.tls.client-names", "kube-apiserver",
                    "idgate.tls.reload-check", "200ms");
        }
    }

    static void generate(Path dir, String... flags) {
        List<String> cmd = new ArrayList<>(List.of("certs/gen-certs.sh", "--out", dir.toString()));
        cmd.addAll(List.of(flags));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("gen-certs.sh failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    static SSLContext apiServer() {
        return TlsClients.presenting(CERTS.resolve("ca.crt"), CERTS.resolve("apiserver-client.crt"), CERTS.resolve("apiserver-client.key"));
    }

    HttpResponse<String> post(SSLContext tls, String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create(https + path.substring(1))).timeout(java.time.Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(Path.of("examples/reviews/mutate-pod.json"))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void theApiServersCertificateIsAnswered() throws Exception {
        HttpResponse<String> r = post(apiServer(), "/mutate/pods");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"allowed\":true"), r.body());
    }

    @Test
    @Order(1)
    void noCertificateIsRefusedWith401NamingTheSetting() throws Exception {
        HttpResponse<String> r = post(TlsClients.trusting(CERTS.resolve("ca.crt")), "/validate/pods");
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("\"kind\":\"Status\"") && r.body().contains("idgate.tls.client-ca") && r.body().contains("--admission-control-config-file"), r.body());
    }

    @Test
    @Order(1)
    void aCertificateFromTheClientCaWithAnotherNameIsRefusedWith403() throws Exception {
        Path dir = Path.of("target/transport-certs-other-name");
        generate(dir, "--force", "--client-cn", "someone-else");
        // same client CA as the server trusts, other name: sign someone-else's key with it
        Path csrDir = Files.createDirectories(dir.resolve("signed"));
        run("openssl", "req", "-new", "-key", dir.resolve("apiserver-client.key").toString(), "-subj", "/CN=someone-else",
                "-out", csrDir.resolve("c.csr").toString());
        Files.writeString(csrDir.resolve("ext"), "extendedKeyUsage=clientAuth\n");
        run("openssl", "x509", "-req", "-in", csrDir.resolve("c.csr").toString(), "-CA", CERTS.resolve("client-ca.crt").toString(),
                "-CAkey", CERTS.resolve("client-ca.key").toString(), "-CAcreateserial", "-days", "1",
                "-extfile", csrDir.resolve("ext").toString(), "-out", csrDir.resolve("c.crt").toString());
        HttpResponse<String> r = post(TlsClients.presenting(CERTS.resolve("ca.crt"), csrDir.resolve("c.crt"), dir.resolve("apiserver-client.key")),
                "/mutate/pods");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("someone-else") && r.body().contains("kube-apiserver"), r.body());
    }

    @Test
    @Order(1)
    void aCertificateFromAnotherCaFailsTheHandshake() {
        SSLContext stranger = TlsClients.presenting(CERTS.resolve("ca.crt"), OTHER_CERTS.resolve("apiserver-client.crt"),
                OTHER_CERTS.resolve("apiserver-client.key"));
        assertThrows(IOException.class, () -> post(stranger, "/mutate/pods"));
    }

    @Test
    @Order(1)
    void theServingCertificateCannotPassAsTheApiServer() throws Exception {
        // issued by the webhook CA for serverAuth: neither the client CA nor clientAuth. A JDK client
        // does not even offer it (its issuer is not among the CAs the server names); curl does, and
        // the handshake fails. Either way: no review is answered.
        SSLContext impostor = TlsClients.presenting(CERTS.resolve("ca.crt"), CERTS.resolve("tls.crt"), CERTS.resolve("tls.key"));
        int status;
        try {
            status = post(impostor, "/mutate/pods").statusCode();
        } catch (IOException e) {
            status = -1;
        }
        assertTrue(status == -1 || status == 401, "answered with " + status);
        String out = run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", CERTS.resolve("ca.crt").toString(),
                "--cert", CERTS.resolve("tls.crt").toString(), "--key", CERTS.resolve("tls.key").toString(),
                "-H", "Content-Type: application/json", "--data-binary", "@examples/reviews/mutate-pod.json", https + "mutate/pods");
        assertEquals("000", out.trim(), "curl offering the serving certificate got an HTTP answer");
    }

    @Test
    @Order(1)
    void plainHttpAdmissionIsRefused() {
        given().contentType("application/json").body("{}").post("/mutate/pods").then().statusCode(401);
    }

    @Test
    @Order(1)
    void healthAndMetricsStayOnThePlainManagementPort() {
        // Quarkus would serve the management port with the default (webhook) TLS configuration too
        management().get("/q/health/ready").then().statusCode(200);
        management().get("/q/metrics").then().statusCode(200);
    }

    @Test
    @Order(1)
    void theQueryApiNeedsNoClientCertificate() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TlsClients.trusting(CERTS.resolve("ca.crt"))).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https + "api/v1/identities")).timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode()); // the API's bearer-token check, not a TLS failure
    }

    @Test
    @Order(1)
    void onlyTls12And13WithForwardSecretAeadSuitesAreAccepted() throws Exception {
        assertEquals("TLSv1.3", handshake(new String[] {"TLSv1.3"}, null));
        assertEquals("TLSv1.2", handshake(new String[] {"TLSv1.2"}, new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}));
        // enabled by default in the JDK, outside idgate's list
        assertThrows(SSLHandshakeException.class, () -> handshake(new String[] {"TLSv1.2"}, new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"}));
        assertThrows(SSLHandshakeException.class, () -> handshake(new String[] {"TLSv1.2"}, new String[] {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"}));
        // TLS 1.1: the JDK client refuses to offer it, so ask openssl (allowed to at security level 0)
        String out = run("openssl", "s_client", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-connect", "127.0.0.1:" + https.getPort());
        assertTrue(out.contains("alert protocol version") || out.contains("no protocols available"), out);
        assertTrue(!out.contains("Cipher is ECDHE"), out);
    }

    /** Negotiated protocol of a handshake with the given protocols and suites (null: the JDK's). */
    String handshake(String[] protocols, String[] suites) throws IOException {
        try (SSLSocket socket = (SSLSocket) apiServer().getSocketFactory().createSocket("127.0.0.1", https.getPort())) {
            socket.setEnabledProtocols(protocols);
            if (suites != null) {
                socket.setEnabledCipherSuites(suites);
            }
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }

    @Test
    @Order(2)
    void aRotatedCertificateIsServedWithoutAFailedHandshake() throws Exception {
        BigInteger before = servedCertificate().getSerialNumber();
        AtomicBoolean rotating = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(2);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            loops.add(clients.submit(() -> {
                for (int n = 0; n < 5_000 && rotating.get(); n++) { // one new connection (full handshake) per request
                    try {
                        if (rawPost() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add("non-200");
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        try {
            for (int rotation = 0; rotation < 3; rotation++) {
                Thread.sleep(700);
                generate(CERTS, "--renew");
            }
            Thread.sleep(700);
        } finally {
            rotating.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            clients.shutdown();
        }
        BigInteger now = TlsClients.certificate(CERTS.resolve("tls.crt")).getSerialNumber();
        assertTrue(failures.isEmpty(), failures.size() + " of " + (ok.get() + failures.size()) + " requests failed: " + failures.subList(0, Math.min(3, failures.size())));
        assertTrue(ok.get() > 20, "too few requests to mean anything: " + ok.get());
        assertTrue(!before.equals(now), "gen-certs.sh --renew made no new certificate");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!servedCertificate().getSerialNumber().equals(now) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(now, servedCertificate().getSerialNumber(), "the renewed certificate is not served");
    }

    @Test
    @Order(3)
    void aRotatedClientCaIsTrustedWithoutARestart() throws Exception {
        Path oldClient = Files.createDirectories(Path.of("target/transport-certs-old-client"));
        Files.copy(CERTS.resolve("apiserver-client.crt"), oldClient.resolve("c.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(CERTS.resolve("apiserver-client.key"), oldClient.resolve("c.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        generate(CERTS, "--force"); // a new webhook CA, client CA and certificates
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Integer status = null;
        while (System.nanoTime() < deadline) {
            try {
                status = post(apiServer(), "/mutate/pods").statusCode();
                if (status == 200) {
                    break;
                }
            } catch (IOException e) {
                status = null; // still serving the previous certificate or trusting the previous CA
            }
            Thread.sleep(100);
        }
        assertEquals(200, status, "the new client certificate is not accepted");
        SSLContext previous = TlsClients.presenting(CERTS.resolve("ca.crt"), oldClient.resolve("c.crt"), oldClient.resolve("c.key"));
        assertThrows(IOException.class, () -> post(previous, "/mutate/pods"), "a certificate of the replaced client CA is still accepted");
    }

    /** POST over a new TLS connection (HTTP/1.1, Connection: close): a full handshake each time. */
    int rawPost() throws IOException {
        byte[] body = Files.readAllBytes(Path.of("examples/reviews/mutate-pod.json"));
        SSLContext tls = apiServer();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", https.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mutate/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return status == null ? -1 : Integer.parseInt(status.split(" ")[1]);
        }
    }

    X509Certificate servedCertificate() throws IOException {
        try (SSLSocket socket = (SSLSocket) apiServer().getSocketFactory().createSocket("127.0.0.1", https.getPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (SSLHandshakeException e) {
            throw e;
        }
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
