package io.idgate.identity;

/**
 * The settings the derivation depends on.
 *
 * @param labelPrefix prefix {@code P} of every owned key, e.g. {@code idgate.io}
 * @param trustDomain SPIFFE trust domain, e.g. {@code cluster.local}
 * @param oidcIssuer  the cluster's ServiceAccount token issuer, written to {@code P/oidc-issuer}
 */
public record IdentityConfig(String labelPrefix, String trustDomain, String oidcIssuer) {

    public static final IdentityConfig DEFAULTS =
            new IdentityConfig("idgate.io", "cluster.local", "https://kubernetes.default.svc.cluster.local");

    public IdentityConfig {
        if (trustDomain == null || trustDomain.isBlank() || trustDomain.contains("/")) {
            throw new IllegalArgumentException("trust domain must be a name such as cluster.local, got '" + trustDomain + "'");
        }
        keysFor(labelPrefix); // validates the prefix
    }

    public IdentityKeys keys() {
        return keysFor(labelPrefix);
    }

    private static IdentityKeys keysFor(String prefix) {
        return new IdentityKeys(prefix);
    }
}
