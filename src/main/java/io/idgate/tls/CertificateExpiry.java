package io.idgate.tls;

import io.idgate.config.IdgateConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Exports {@code idgate_tls_certificate_expiry_seconds} (seconds until the serving certificate in
 * use expires) and warns in the log when that is less than {@code idgate.tls.expiry-warning}. It
 * reads the certificate actually served, refreshed on every reload (see {@link CertificateReloader}),
 * so a rotated Secret shows up without a restart. An expired
 * webhook certificate stops every pod creation in a fail-closed cluster (kyverno#13639): the warning
 * gives time to act.
 */
@ApplicationScoped
public class CertificateExpiry {

    private static final Logger LOG = Logger.getLogger(CertificateExpiry.class);
    /** A repeated warning at most this often: refreshed on every reload check, mostly unchanged. */
    private static final Duration WARN_EVERY = Duration.ofHours(6);

    private final TlsConfigurationRegistry registry;
    private final ServerTls serverTls;
    private final MeterRegistry meters;
    private final Duration warnBefore;
    private final Clock clock = Clock.systemUTC();

    private volatile X509Certificate serving;
    private Instant lastWarning = Instant.MIN;
    private Gauge gauge;

    CertificateExpiry(TlsConfigurationRegistry registry, ServerTls serverTls, MeterRegistry meters, IdgateConfig config) {
        this.registry = registry;
        this.serverTls = serverTls;
        this.meters = meters;
        this.warnBefore = config.tls().expiryWarning();
    }

    void onStart(@Observes StartupEvent event) {
        refresh();
        if (serving != null) {
            gauge = Gauge.builder("idgate.tls.certificate.expiry", this, CertificateExpiry::secondsLeft)
                    .description("Seconds until the serving certificate expires (negative once expired)")
                    .baseUnit("seconds")
                    .register(meters);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (gauge != null) {
            meters.remove(gauge); // a restarted application binds its own
        }
    }

    double secondsLeft() {
        X509Certificate cert = serving;
        return cert == null ? Double.NaN : Duration.between(clock.instant(), cert.getNotAfter().toInstant()).toSeconds();
    }

    /** Re-reads the certificate being served (called by {@link CertificateReloader} after a swap). */
    synchronized void refresh() {
        // ServerTls knows what is served once the HTTPS server runs; before that, the configured store
        X509Certificate current = serverTls.servingCertificate()
                .orElseGet(() -> registry.getDefault().map(CertificateExpiry::servingCertificate).orElse(null));
        if (current == null) {
            return;
        }
        if (!Objects.equals(current, serving)) {
            LOG.infof("serving certificate %s, valid until %s", current.getSubjectX500Principal().getName(), current.getNotAfter().toInstant());
            serving = current;
            lastWarning = Instant.MIN;
        }
        Instant now = clock.instant();
        Duration left = Duration.between(now, current.getNotAfter().toInstant());
        if (left.compareTo(warnBefore) < 0 && Duration.between(lastWarning, now).compareTo(WARN_EVERY) >= 0) {
            lastWarning = now;
            LOG.warnf("the serving certificate %s %s (%s); rotate it (certs/gen-certs.sh --force, or let cert-manager renew it): the API server"
                    + " refuses to call a webhook with an expired certificate", current.getSubjectX500Principal().getName(),
                    left.isNegative() ? "has expired" : "expires in " + left.toHours() + " hours", current.getNotAfter().toInstant());
        }
    }

    /** The leaf certificate of the first key entry (the PEM key store holds one). */
    private static X509Certificate servingCertificate(TlsConfiguration tls) {
        KeyStore keyStore = tls.getKeyStore();
        if (keyStore == null) {
            return null;
        }
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                Certificate cert = keyStore.getCertificate(alias);
                if (keyStore.isKeyEntry(alias) && cert instanceof X509Certificate x509) {
                    return x509;
                }
            }
        } catch (KeyStoreException e) {
            LOG.warnf("cannot read the serving certificate: %s", e.getMessage());
        }
        return null;
    }
}
