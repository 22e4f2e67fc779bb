package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: the serving certificate is rotated (certs/gen-certs.sh --renew, as a renewal in a cluster)
 * several times while clients keep opening new TLS connections and sending reviews. Not one handshake
 * or request may fail: the API server opens new connections at any time, and a failed call to a pod
 * webhook (failurePolicy Fail) is a refused pod.
 */
@Tag("e2e")
class CertificateRotationUnderLoadE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();
    private static final int ROTATIONS = 5;
    private static final int CLIENTS = 2;

    @Test
    void noHandshakeOrRequestFailsWhileTheCertificateIsRotated() throws Exception {
        byte[] review = FaultKit.networkPolicyReview("faults-rotate", "any", "{\"podSelector\":{}}").getBytes(StandardCharsets.UTF_8);
        Set<BigInteger> served = ConcurrentHashMap.newKeySet();
        List<String> failures = new CopyOnWriteArrayList<>();
        // when, after the start of the rotation in progress, each failure happened: tells a swap
        // window from a failure unrelated to rotation
        AtomicLong rotationStart = new AtomicLong(System.nanoTime());
        List<Long> failedAt = new CopyOnWriteArrayList<>();
        AtomicLong ok = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        served.add(handshakeAndReview(review));
                        ok.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        failures.add(e.toString());
                        failedAt.add((System.nanoTime() - rotationStart.get()) / 1_000_000);
                    }
                }
            }, "rotation-client-" + i);
            t.start();
            clients.add(t);
        }
        List<Long> servedAt = new ArrayList<>();
        try {
            E2eCluster.await("clients running", () -> ok.get() > 0);
            for (int i = 0; i < ROTATIONS; i++) {
                Set<BigInteger> before = Set.copyOf(served);
                rotationStart.set(System.nanoTime());
                var renew = new ProcessBuilder("certs/gen-certs.sh", "--out", E2eCluster.CERTS.toString(), "--renew")
                        .directory(E2eCluster.ROOT.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                assertEquals(0, renew.waitFor(), "certs/gen-certs.sh --renew");
                E2eCluster.await("rotation " + (i + 1) + " served", () -> !before.containsAll(served));
                servedAt.add((System.nanoTime() - rotationStart.get()) / 1_000_000);
                FaultKit.sleep(300); // some traffic on the new certificate before the next rotation
            }
        } finally {
            stop.set(true);
            for (Thread t : clients) {
                t.join(15_000);
            }
        }
        Map<String, Long> failed = failures.stream().collect(Collectors.groupingBy(f -> f, TreeMap::new, Collectors.counting()));
        E2eCluster.log("certificate rotated %d times under load (new one served %s ms after each rotation began): %d connections "
                + "(handshake + review) succeeded, %d failed %s, at %s ms after a rotation began", ROTATIONS, servedAt, ok.get(),
                failures.size(), failed, failedAt);
        assertEquals(ROTATIONS + 1, served.size(), "one certificate per rotation, plus the first");
        assertEquals(Map.of(), failed, failures.size() + " of " + (ok.get() + failures.size()) + " connections failed");
    }

    /** A new connection (a new TLS context: no session resumption), one review; the serial of the certificate served. */
    private static BigInteger handshakeAndReview(byte[] review) throws IOException {
        try (var socket = (SSLSocket) k8s.sslContext().getSocketFactory().createSocket("127.0.0.1", k8s.port())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            BigInteger serial = ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
            OutputStream out = socket.getOutputStream();
            out.write(("POST /validate/networkpolicies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + review.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(review);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 200") || !answer.contains("\"allowed\":true")) {
                throw new IllegalStateException("unexpected answer: " + answer.lines().findFirst().orElse("(none)"));
            }
            return serial;
        }
    }
}
