package io.idgate.admission;

import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.IdentityDiff;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.k8s.GuardrailWatcher;
import io.idgate.k8s.NetworkPolicySource;
import io.idgate.k8s.ReachSource;
import io.idgate.k8s.ServiceAccountLookup;
import io.idgate.tls.ServerTls;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Warms the admission path before readiness reports UP, so the first real review does not pay for
 * class loading, Jackson's first use, the first TLS handshakes and the HTTP/2 stack (measured: the
 * first review after ready took 106 to 166 ms, later ones under 2 ms).
 *
 * <p>Two steps. At startup, the pod path runs in process on a synthetic review (decode, derive,
 * patch, encode). Once the caches have synced, reviews go to both main endpoints over the webhook
 * port itself, on 127.0.0.1 only: HTTP/2 and HTTP/1.1, new connections and kept-alive ones. They
 * carry a per-process random token in {@link #HEADER}; with it the routes answer from handlers that
 * look nothing up (a fixed ServiceAccount, so no GET can leave the machine) and count and log
 * nothing: no decision metric, no decision log line. Readiness ({@link WarmupCheck}) waits for this;
 * a warm-up that fails is logged and does not hold readiness back.
 */
@ApplicationScoped
public class Warmup {

    /** The header a warm-up review carries, with {@link #token()}. */
    static final String HEADER = "X-Idgate-Warmup";

    private static final Logger LOG = Logger.getLogger(Warmup.class);
    private static final int ROUNDS = 300;
    /** Reviews per endpoint over the webhook port; new connections besides. */
    private static final int HTTP_ROUNDS = 200;
    private static final int NEW_CONNECTIONS = 5;
    private static final Duration HTTP_BUDGET = Duration.ofSeconds(30);

    static final ServiceAccountInfo SERVICE_ACCOUNT = new ServiceAccountInfo("warmup", "sa", Map.of(ServiceAccountInfo.AWS_ROLE_ARN, "arn:aws:iam::1:role/r"), "1");

    /** Answers every lookup with {@link #SERVICE_ACCOUNT}, from memory. */
    static final ServiceAccountLookup LOOKUP = new ServiceAccountLookup() {
        @Override
        public CompletionStage<Resolution> resolve(String namespace, String name) {
            return CompletableFuture.completedFuture(new Found(SERVICE_ACCOUNT, Source.CACHE));
        }

        @Override
        public boolean synced() {
            return true;
        }
    };

    private static final byte[] REVIEW = ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
            + "\"uid\":\"warmup\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
            + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},\"namespace\":\"warmup\",\"operation\":\"CREATE\","
            + "\"userInfo\":{\"username\":\"warmup\"},\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
            + "\"labels\":{\"app\":\"x\",\"idgate.io/service-account\":\"forged\"}},\"spec\":{\"serviceAccountName\":\"sa\","
            + "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}").getBytes(StandardCharsets.UTF_8);

    private static final byte[] NETWORK_POLICY = ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
            + "\"uid\":\"warmup\",\"kind\":{\"group\":\"networking.k8s.io\",\"version\":\"v1\",\"kind\":\"NetworkPolicy\"},"
            + "\"resource\":{\"group\":\"networking.k8s.io\",\"version\":\"v1\",\"resource\":\"networkpolicies\"},\"namespace\":\"warmup\","
            + "\"operation\":\"CREATE\",\"userInfo\":{\"username\":\"warmup\"},\"object\":{\"apiVersion\":\"networking.k8s.io/v1\","
            + "\"kind\":\"NetworkPolicy\",\"metadata\":{\"name\":\"warmup\",\"namespace\":\"warmup\"},\"spec\":{\"podSelector\":"
            + "{\"matchLabels\":{\"app\":\"x\"}},\"policyTypes\":[\"Ingress\"],\"ingress\":[{\"from\":[{\"podSelector\":{\"matchLabels\":"
            + "{\"app\":\"y\"}}},{\"ipBlock\":{\"cidr\":\"10.0.0.0/8\"}}],\"ports\":[{\"protocol\":\"TCP\",\"port\":8080}]}]}}}}")
            .getBytes(StandardCharsets.UTF_8);

    private final String token = HexFormat.of().formatHex(random());
    private volatile boolean done;

    private static byte[] random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** The per-process secret that marks a warm-up review (never logged, never sent off 127.0.0.1). */
    String token() {
        return token;
    }

    /** Whether {@code header} is this process's warm-up token. */
    boolean isWarmup(String header) {
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    /** True once the webhook port has been warmed (or warming gave up). */
    public boolean done() {
        return done;
    }

    void warm(@Observes StartupEvent event, IdentityDeriver deriver, AdmissionMetrics metrics, ServerTls tls, ServiceAccountLookup accounts,
            NetworkPolicySource policies, GuardrailWatcher guardrails, ReachSource reach,
            @ConfigProperty(name = "quarkus.http.port") int httpPort, @ConfigProperty(name = "quarkus.http.ssl-port") int httpsPort) {
        long start = System.nanoTime();
        metrics.register(AdmissionRoutes.WEBHOOKS);
        for (int i = 0; i < ROUNDS; i++) {
            AdmissionRequest request = AdmissionReviewDecoder.decode(REVIEW, ObjectFields.POD_IDENTITY); // as /mutate/pods reads it
            PodObjects.requirePod(request);
            var pod = request.object();
            var changes = IdentityDiff.changes(deriver.keys(), io.idgate.engine.PodFields.labels(pod), io.idgate.engine.PodFields.annotations(pod),
                    deriver.derive(SERVICE_ACCOUNT, Set.of()));
            AdmissionReviewEncoder.encode(request.uid(), AdmissionResponses.patched(JsonPatches.forKeyChanges(pod, changes), List.of()));
        }
        LOG.debugf("warmed the admission path in process in %.1f ms", (System.nanoTime() - start) / 1e6);
        if (LaunchMode.current() == LaunchMode.TEST) {
            done = true; // tests listen on random ports and warm nothing they measure
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (!(accounts.synced() && policies.synced() && guardrails.synced() && reach.synced()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                // only once the application has started: its ports then listen, and a start that fails (a port in
                // use, said in one line by ServerProcess) never reaches here to knock on a port that is closing
                if (!startedWithin(Duration.ofMinutes(10))) {
                    return;
                }
                if (tls.requiresClientCertificates()) {
                    // the webhook port answers only the API server's certificate, which idgate does not hold: a
                    // warm-up review would be refused (and logged as a refused caller); the path was warmed in process
                    LOG.debug("webhook port not warmed over HTTP: it requires the API server's client certificate (idgate.tls.client-ca)");
                    return;
                }
                overHttp(() -> tls.servingCertificate().isPresent() ? "https://127.0.0.1:" + httpsPort : "http://127.0.0.1:" + httpPort);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warnf("warming the webhook port failed (%s%s); the first reviews may be slower", e.toString(),
                        e.getCause() == null ? "" : ": " + e.getCause());
            } finally {
                done = true;
            }
        }, "idgate-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** True once the application has started, waiting for it at most {@code wait}; false when it did not (its start failed). */
    private static boolean startedWithin(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            io.quarkus.runtime.Application app = io.quarkus.runtime.Application.currentApplication();
            if (app != null && app.isStarted()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** @param base the webhook port's address; HTTPS once its certificate is loaded (read again while the port is not open yet) */
    private void overHttp(java.util.function.Supplier<String> base) throws Exception {
        long start = System.nanoTime();
        long deadline = start + HTTP_BUDGET.toNanos();
        SSLContext trustingSelf = SSLContext.getInstance("TLS");
        trustingSelf.init(null, new TrustManager[] {new LoopbackTrust()}, new SecureRandom());
        int sent = 0;
        // the port opens after the startup observers have run: wait for it
        HttpClient first = HttpClient.newBuilder().sslContext(trustingSelf).connectTimeout(Duration.ofSeconds(10)).build();
        String address;
        while (true) {
            address = base.get();
            try {
                send(first, address, "/mutate/pods", REVIEW);
                break;
            } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
        for (int c = 0; c < NEW_CONNECTIONS + 1 && System.nanoTime() < deadline; c++) {
            HttpClient client = HttpClient.newBuilder().sslContext(trustingSelf).connectTimeout(Duration.ofSeconds(10))
                    .version(c % 2 == 0 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1).build();
            int rounds = c == 0 ? HTTP_ROUNDS : 1; // the first connection kept alive, then new ones (handshakes)
            for (int i = 0; i < rounds && System.nanoTime() < deadline; i++) {
                send(client, address, "/mutate/pods", REVIEW);
                send(client, address, "/validate/networkpolicies", NETWORK_POLICY);
                sent += 2;
            }
        }
        LOG.infof("warmed the webhook port with %s reviews in %s ms", String.valueOf(sent), String.format("%.1f", (System.nanoTime() - start) / 1e6));
    }

    private void send(HttpClient client, String address, String path, byte[] review) throws Exception {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(address + path))
                .header("Content-Type", "application/json").header(HEADER, token).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered the warm-up with HTTP " + r.statusCode());
        }
    }

    /**
     * Trusts the server it reaches: only ever used for 127.0.0.1 and this process's own port, whose
     * certificate may name the Service and not the loopback address; nothing secret is sent but the
     * warm-up token, which only selects handlers that decide nothing real.
     */
    private static final class LoopbackTrust extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
