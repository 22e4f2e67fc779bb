package io.idgate.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The server's key material, replaceable while the server runs. A handshake picks an alias, then
 * asks for that alias's chain and key: the alias names the generation it came from, so a handshake
 * that straddles a swap still gets a chain and key that belong together, and the server's TLS
 * options never change (Vert.x 4.5 closes connections accepted during {@code updateSSLOptions}).
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {

    /** One loaded certificate and key; {@code id} prefixes the aliases it hands out. */
    private record Generation(String id, X509KeyManager keys) {}

    private static final AtomicLong GENERATIONS = new AtomicLong();

    private volatile Generation current;
    /** The generation before the last swap: handshakes that chose its alias just before the swap finish with it. */
    private volatile Generation previous;

    RotatingKeyManager(X509KeyManager initial) {
        this.current = generation(initial);
    }

    /** Serves {@code keys} to every handshake that starts from now on. */
    synchronized void swap(X509KeyManager keys) {
        previous = current;
        current = generation(keys);
    }

    private static Generation generation(X509KeyManager keys) {
        return new Generation("g" + GENERATIONS.incrementAndGet() + "/", keys);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Generation g = current;
        String alias = g.keys() instanceof X509ExtendedKeyManager extended
                ? extended.chooseEngineServerAlias(keyType, issuers, engine)
                : g.keys().chooseServerAlias(keyType, issuers, null);
        return alias == null ? null : g.id() + alias;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Generation g = current;
        String alias = g.keys().chooseServerAlias(keyType, issuers, socket);
        return alias == null ? null : g.id() + alias;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation g = current;
        String[] aliases = g.keys().getServerAliases(keyType, issuers);
        if (aliases == null) {
            return null;
        }
        String[] named = new String[aliases.length];
        for (int i = 0; i < aliases.length; i++) {
            named[i] = g.id() + aliases[i];
        }
        return named;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation g = owner(alias);
        return g == null ? null : g.keys().getCertificateChain(alias.substring(g.id().length()));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation g = owner(alias);
        return g == null ? null : g.keys().getPrivateKey(alias.substring(g.id().length()));
    }

    private Generation owner(String alias) {
        if (alias == null) {
            return null;
        }
        Generation now = current;
        if (alias.startsWith(now.id())) {
            return now;
        }
        Generation before = previous;
        return before != null && alias.startsWith(before.id()) ? before : null;
    }

    // The webhook server never authenticates itself as a client.
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
