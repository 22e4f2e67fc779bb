package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The built jar run as {@code make run} runs it (standalone from examples/cluster, HTTPS with a
 * certificate from certs/gen-certs.sh, health and metrics on the management port), bound to
 * 127.0.0.1, with no API server (unless given one, {@link #StandaloneIdgate(Map, String...)}): for
 * tests of the process itself (signals, ports).
 */
final class StandaloneIdgate {

    static final Path DIR = E2eCluster.ROOT.resolve("target/e2e-standalone");
    static final Path CERTS = DIR.resolve("certs");

    final int port = E2eCluster.freePort();
    final int managementPort = E2eCluster.freePort();
    final Path log = DIR.resolve("idgate-" + port + ".log");
    private final Process process;

    /** Starts idgate with {@code extraProperties} ({@code -Dkey=value} each) and waits until it is ready. */
    StandaloneIdgate(String... extraProperties) throws Exception {
        this(Map.of(), extraProperties);
    }

    /**
     * The same with {@code environment} added to the process's (a KUBECONFIG with
     * {@code -Didgate.cluster=kubernetes}: a second idgate reading the e2e API server); a property given
     * again in {@code extraProperties} overrides the default above (the last {@code -D} wins).
     */
    StandaloneIdgate(Map<String, String> environment, String... extraProperties) throws Exception {
        certificates();
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m",
                "-Didgate.cluster=none", "-Didgate.manifests=examples/cluster",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.ssl-port=" + port, "-Dquarkus.http.insecure-requests=disabled",
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.tls.key-store.pem.0.cert=" + CERTS.resolve("tls.crt"), "-Dquarkus.tls.key-store.pem.0.key=" + CERTS.resolve("tls.key")));
        cmd.addAll(List.of(extraProperties));
        cmd.addAll(List.of("-jar", jar().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(E2eCluster.ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        process = pb.start();
        E2eCluster.await("idgate ready (" + log + ")", () -> process.isAlive() && ready() == 200);
    }

    Process process() {
        return process;
    }

    /** HTTP status of the readiness check, or -1 when the management port does not answer. */
    int ready() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Ends the process if a test left it running. */
    void kill() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    static SSLContext tls() {
        return io.idgate.testing.TlsClients.trusting(CERTS.resolve("ca.crt"));
    }

    static Path jar() {
        Path jar = E2eCluster.ROOT.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            fail(jar + " is missing: run `make e2e` (it builds first)");
        }
        return jar;
    }

    private static synchronized void certificates() throws IOException, InterruptedException {
        if (!Files.exists(CERTS.resolve("tls.crt"))) {
            Files.createDirectories(DIR);
            Process gen = new ProcessBuilder("certs/gen-certs.sh", "--out", CERTS.toString()).directory(E2eCluster.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(DIR.resolve("gen-certs.log").toFile()).start();
            assertEquals(0, gen.waitFor(), "certs/gen-certs.sh");
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
