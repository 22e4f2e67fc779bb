package io.idgate.tls;

import io.idgate.config.IdgateConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import org.jboss.logging.Logger;

/**
 * Owns the webhook port's TLS material. Quarkus builds the HTTPS options from {@code quarkus.tls.*}
 * (certificate, protocols, cipher suites); this customizer then hands the server key and trust
 * managers that can be swapped in place, so a rotated certificate or client CA is served without
 * touching the server's options (see {@link RotatingKeyManager}).
 *
 * <p>With {@code idgate.tls.client-ca} set, the server asks every client for a certificate and
 * verifies any it gets against those CAs (an untrusted one fails the handshake); the admission
 * paths then refuse a request that came without one ({@link ClientCertificates}). Asking rather than
 * requiring at the TLS level keeps the query API (/api/v1, bearer tokens) usable on the same port.
 */
@ApplicationScoped
public class ServerTls implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(ServerTls.class);

    private final Vertx vertx;
    private final Optional<Path> clientCa;
    private volatile RotatingKeyManager keys;
    private volatile RotatingTrustManager clientTrust;

    ServerTls(Vertx vertx, IdgateConfig config) {
        this.vertx = vertx;
        this.clientCa = config.tls().clientCa().map(Path::of);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        KeyCertOptions configured = options.getKeyCertOptions();
        if (configured == null) {
            return; // no certificate: plain HTTP only
        }
        try {
            keys = new RotatingKeyManager(keyManager(configured.getKeyManagerFactory(vertx)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the serving certificate: " + e.getMessage(), e);
        }
        options.setKeyCertOptions(KeyCertOptions.wrap(keys));
        if (clientCa.isPresent()) {
            clientTrust = new RotatingTrustManager(trusting(clientCa.get()));
            options.setTrustOptions(TrustOptions.wrap(clientTrust));
            options.setClientAuth(ClientAuth.REQUEST);
            LOG.infof("webhook paths require a client certificate issued by %s", clientCa.get());
        }
    }

    /** Whether the admission paths demand a verified client certificate. */
    public boolean requiresClientCertificates() {
        return clientCa.isPresent();
    }

    Optional<Path> clientCaFile() {
        return clientCa;
    }

    /** The leaf certificate served to new connections, once the HTTPS server has started. */
    public Optional<X509Certificate> servingCertificate() {
        RotatingKeyManager k = keys;
        if (k == null) {
            return Optional.empty();
        }
        X509Certificate[] chain = k.getCertificateChain(anyServerAlias(k));
        return chain == null || chain.length == 0 ? Optional.empty() : Optional.of(chain[0]);
    }

    /**
     * Loads a PEM certificate and key and serves them to every new handshake. Refuses (keeping the
     * current pair) a pair whose key does not belong to the certificate.
     *
     * @return false when the HTTPS server has not started yet (nothing to swap)
     */
    boolean reloadKeys(Path certFile, Path keyFile) throws GeneralSecurityException {
        RotatingKeyManager k = keys;
        if (k == null) {
            return false;
        }
        X509KeyManager loaded;
        try {
            loaded = keyManager(new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()).getKeyManagerFactory(vertx));
        } catch (Exception e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        String alias = anyServerAlias(loaded);
        X509Certificate[] chain = alias == null ? null : loaded.getCertificateChain(alias);
        PrivateKey key = alias == null ? null : loaded.getPrivateKey(alias);
        if (chain == null || chain.length == 0 || key == null || !KeyPairs.belongTogether(chain[0], key)) {
            throw new GeneralSecurityException("the certificate and key in " + certFile.getParent() + " do not belong together");
        }
        k.swap(loaded);
        return true;
    }

    /** Trusts the CAs in {@code caFile} for client certificates from now on. */
    void reloadClientCa(Path caFile) {
        RotatingTrustManager t = clientTrust;
        if (t != null) {
            t.swap(trusting(caFile));
        }
    }

    private static String anyServerAlias(X509KeyManager keys) {
        for (String type : new String[] {"EC", "RSA", "RSASSA-PSS", "EdDSA"}) {
            String alias = keys.chooseServerAlias(type, null, null);
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    private static X509KeyManager keyManager(KeyManagerFactory factory) {
        for (KeyManager km : factory.getKeyManagers()) {
            if (km instanceof X509KeyManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the key store holds no X.509 key");
    }

    /** A trust manager for client certificates issued by the CAs in a PEM bundle. */
    static X509ExtendedTrustManager trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("idgate.tls.client-ca: " + caFile + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                store.setCertificateEntry("client-ca-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (IOException e) {
            throw new IllegalArgumentException("idgate.tls.client-ca: cannot read " + caFile + " (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("idgate.tls.client-ca: " + caFile + " is not a PEM CA bundle (" + e.getMessage() + ")", e);
        }
    }
}
