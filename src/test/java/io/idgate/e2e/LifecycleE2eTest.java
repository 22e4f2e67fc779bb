package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** idgate's own lifecycle under a real API server: certificate rotation, outage, restart. */
@Tag("e2e")
class LifecycleE2eTest {

    private final E2eCluster k8s = E2eCluster.get();

    @Test
    void aRenewedCertificateIsServedWithoutRestartAndPodsKeepFlowing() throws Exception {
        k8s.namespace("e2e-rotate");
        BigInteger before = k8s.servedCertificate().getSerialNumber();
        var renewed = new ProcessBuilder(List.of("certs/gen-certs.sh", "--out", E2eCluster.CERTS.toString(), "--renew"))
                .directory(E2eCluster.ROOT.toFile()).inheritIO().start();
        assertTrue(renewed.waitFor() == 0, "certs/gen-certs.sh --renew");
        // A handshake that lands on the moment of the swap can be closed by Vert.x 4.5 (a known race in
        // updateSSLOptions, a window of a few ms once per rotation): counted and reported, not hidden.
        int[] failedHandshakes = {0};
        long millis = E2eCluster.await("renewed certificate served", () -> {
            try {
                return !k8s.servedCertificate().getSerialNumber().equals(before);
            } catch (java.io.UncheckedIOException e) {
                failedHandshakes[0]++;
                return false;
            }
        });
        E2eCluster.log("renewed certificate served after %d ms, no restart; %d handshake(s) failed during the swap", millis,
                failedHandshakes[0]);
        assertTrue(failedHandshakes[0] <= 1, "at most the one handshake at the swap fails: " + failedHandshakes[0]);
        for (int i = 0; i < 20; i++) {
            k8s.servedCertificate(); // after the swap every handshake succeeds (throws otherwise)
        }
        assertNotEquals(before, k8s.servedCertificate().getSerialNumber());
        var pod = k8s.kubectl("-n", "e2e-rotate", "run", "after-rotation", "--image=busybox", "--restart=Never");
        assertTrue(pod.ok(), "the API server still trusts it (same CA): " + pod);
        assertTrue(k8s.metrics().contains("idgate_tls_certificate_expiry_seconds "), "expiry metric exported");
    }

    @Test
    void whileIdgateIsDownPodCreationFailsClosedAndWorksAgainAfterARestart() {
        k8s.namespace("e2e-outage");
        k8s.stopIdgate();
        try {
            var refused = k8s.kubectl("-n", "e2e-outage", "run", "during-outage", "--image=busybox", "--restart=Never");
            assertFalse(refused.ok(), "failurePolicy Fail: no identity, no pod");
            assertTrue(refused.err().contains("failed calling webhook \"pods.mutate.idgate.io\""), refused.err());
            assertFalse(k8s.kubectl("-n", "e2e-outage", "get", "pod", "during-outage").ok(), "nothing stored");
        } finally {
            k8s.startIdgate();
        }
        // nothing was changed on the API server: the same registration works again
        var pod = k8s.kubectl("-n", "e2e-outage", "run", "after-restart", "--image=busybox", "--restart=Never");
        assertTrue(pod.ok(), pod.toString());
        assertTrue(k8s.kubectl("-n", "e2e-outage", "get", "pod", "after-restart", "-o", "jsonpath={.metadata.labels}")
                .out().contains("idgate.io/service-account"), "labelled");
    }
}
