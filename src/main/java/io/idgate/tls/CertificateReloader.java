package io.idgate.tls;

import io.idgate.config.IdgateConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Serves a rotated certificate without a restart: checks the PEM files every
 * {@code idgate.tls.reload-check} and, only when their content changed, reloads the TLS registry's
 * default configuration and tells the HTTP server.
 *
 * <p>Why not {@code quarkus.tls.reload-period}: it swaps the server's SSL options on every period even
 * when nothing changed, and Vert.x 4.5 closes a connection accepted during a swap (a failed handshake
 * seen in the end-to-end suite). Swapping only on a real change leaves that window to actual
 * rotations. The certificate and key are checked to belong together before the swap, so a rotation
 * caught half-way (one file new, one old) waits for the next check instead of breaking TLS.
 */
@ApplicationScoped
public class CertificateReloader {

    private static final Logger LOG = Logger.getLogger(CertificateReloader.class);

    private final TlsConfigurationRegistry registry;
    private final Event<CertificateUpdatedEvent> updated;
    private final IdgateConfig config;
    private final Optional<String> certFile;
    private final Optional<String> keyFile;
    private ScheduledExecutorService timer;
    private byte[] fingerprint;

    CertificateReloader(TlsConfigurationRegistry registry, Event<CertificateUpdatedEvent> updated, IdgateConfig config,
            @ConfigProperty(name = "quarkus.tls.key-store.pem.0.cert") Optional<String> certFile,
            @ConfigProperty(name = "quarkus.tls.key-store.pem.0.key") Optional<String> keyFile) {
        this.registry = registry;
        this.updated = updated;
        this.config = config;
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    void onStart(@Observes StartupEvent event) {
        if (certFile.isEmpty() || keyFile.isEmpty() || registry.getDefault().isEmpty()) {
            return; // plain HTTP, or a certificate not from PEM files
        }
        fingerprint = fingerprint();
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
            byte[] current = fingerprint();
            if (current == null || Arrays.equals(current, fingerprint)) {
                return;
            }
            if (!PemPair.matches(Path.of(certFile.get()), Path.of(keyFile.get()))) {
                LOG.debug("certificate and key on disk do not belong together yet (rotation in progress); next check");
                return;
            }
            TlsConfiguration tls = registry.getDefault().orElseThrow();
            if (tls.reload()) {
                fingerprint = current;
                updated.fire(new CertificateUpdatedEvent("<default>", tls));
                LOG.infof("serving certificate reloaded from %s", certFile.get());
            } else {
                LOG.warnf("the certificate files changed but could not be loaded; still serving the previous certificate");
            }
        } catch (RuntimeException e) {
            LOG.warnf("certificate reload check failed (%s); still serving the previous certificate", e.getMessage());
        }
    }

    private byte[] fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(Path.of(certFile.get())));
            digest.update(Files.readAllBytes(Path.of(keyFile.get())));
            return digest.digest();
        } catch (IOException e) {
            return null; // mid-rotation or briefly missing: try again next check
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
