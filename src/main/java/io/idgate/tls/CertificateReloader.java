package io.idgate.tls;

import io.idgate.config.IdgateConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Serves a rotated certificate (and client CA) without a restart: checks the PEM files every
 * {@code idgate.tls.reload-check} and, only when their content changed, swaps them into
 * {@link ServerTls}'s key and trust managers. New handshakes get the new pair; connections already
 * open keep theirs; the server's TLS options never change, so no handshake fails at the switch.
 *
 * <p>Why not {@code quarkus.tls.reload-period}: it swaps the server's SSL options on every period,
 * and Vert.x 4.5 closes a connection accepted during a swap (failed handshakes seen in the end-to-end
 * suite). A pair caught half-way through a rotation (new certificate, old key) does not load; the
 * next check retries, and the current pair stays in use.
 */
@ApplicationScoped
public class CertificateReloader {

    private static final Logger LOG = Logger.getLogger(CertificateReloader.class);

    private final ServerTls serverTls;
    private final CertificateExpiry expiry;
    private final IdgateConfig config;
    private final Optional<String> certFile;
    private final Optional<String> keyFile;
    private ScheduledExecutorService timer;
    private byte[] keyFingerprint;
    private byte[] clientCaFingerprint;
    private String lastFailure;

    CertificateReloader(ServerTls serverTls, CertificateExpiry expiry, IdgateConfig config,
            @ConfigProperty(name = "quarkus.tls.key-store.pem.0.cert") Optional<String> certFile,
            @ConfigProperty(name = "quarkus.tls.key-store.pem.0.key") Optional<String> keyFile) {
        this.serverTls = serverTls;
        this.expiry = expiry;
        this.config = config;
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    void onStart(@Observes StartupEvent event) {
        boolean pemPair = certFile.isPresent() && keyFile.isPresent();
        if (!pemPair && serverTls.clientCaFile().isEmpty()) {
            return; // plain HTTP, or a certificate not from PEM files
        }
        keyFingerprint = pemPair ? fingerprint(Path.of(certFile.get()), Path.of(keyFile.get())) : null;
        clientCaFingerprint = serverTls.clientCaFile().map(CertificateReloader::fingerprint).orElse(null);
        long period = config.tls().reloadCheck().toMillis();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idgate-tls-reload");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void check() {
        try {
            if (certFile.isPresent() && keyFile.isPresent()) {
                checkKeys(Path.of(certFile.get()), Path.of(keyFile.get()));
            }
            serverTls.clientCaFile().ifPresent(this::checkClientCa);
            expiry.refresh(); // keeps warning (throttled) while an unrotated certificate nears its end
        } catch (RuntimeException e) {
            LOG.warnf("certificate reload check failed (%s); still serving the previous certificate", e.getMessage());
        }
    }

    private void checkKeys(Path cert, Path key) {
        byte[] current = fingerprint(cert, key);
        if (current == null || Arrays.equals(current, keyFingerprint)) {
            return;
        }
        try {
            if (serverTls.reloadKeys(cert, key)) {
                keyFingerprint = current;
                lastFailure = null;
                LOG.infof("serving certificate reloaded from %s", cert);
            }
        } catch (GeneralSecurityException e) {
            // mid-rotation (one file new, one old) or a bad pair: retried next check, reported once
            if (!e.getMessage().equals(lastFailure)) {
                lastFailure = e.getMessage();
                LOG.warnf("the certificate files changed but cannot be served yet (%s); still serving the previous certificate", e.getMessage());
            }
        }
    }

    private void checkClientCa(Path caFile) {
        byte[] current = fingerprint(caFile);
        if (current == null || Arrays.equals(current, clientCaFingerprint)) {
            return;
        }
        try {
            serverTls.reloadClientCa(caFile);
            clientCaFingerprint = current;
            LOG.infof("client CA reloaded from %s", caFile);
        } catch (IllegalArgumentException e) {
            LOG.warnf("%s; still trusting the previous client CA", e.getMessage());
        }
    }

    private static byte[] fingerprint(Path... files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(Files.readAllBytes(file));
            }
            return digest.digest();
        } catch (IOException e) {
            return null; // mid-rotation or briefly missing: try again next check
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
