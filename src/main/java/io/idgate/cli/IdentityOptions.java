package io.idgate.cli;

import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import picocli.CommandLine.Option;

/** The identity settings of the server, as options; their defaults follow the server's environment variables. */
final class IdentityOptions {

    @Option(names = "--label-prefix", paramLabel = "PREFIX", defaultValue = "${env:IDGATE_LABEL_PREFIX:-idgate.io}",
            description = "Prefix of the identity keys (server: idgate.label-prefix). Default: ${DEFAULT-VALUE}.")
    String labelPrefix;

    @Option(names = "--trust-domain", paramLabel = "DOMAIN", defaultValue = "${env:IDGATE_TRUST_DOMAIN:-cluster.local}",
            description = "SPIFFE trust domain (server: idgate.trust-domain). Default: ${DEFAULT-VALUE}.")
    String trustDomain;

    @Option(names = "--oidc-issuer", paramLabel = "URL",
            defaultValue = "${env:IDGATE_OIDC_ISSUER:-https://kubernetes.default.svc.cluster.local}",
            description = "The cluster's ServiceAccount token issuer (server: idgate.oidc-issuer). Default: ${DEFAULT-VALUE}.")
    String oidcIssuer;

    /** The deriver for these settings; a {@link UsageError} names the bad option. */
    IdentityDeriver deriver(String trustDomainOverride) {
        try {
            return new IdentityDeriver(new IdentityConfig(labelPrefix, trustDomainOverride != null ? trustDomainOverride : trustDomain, oidcIssuer));
        } catch (IllegalArgumentException e) {
            throw new UsageError("--label-prefix / --trust-domain: " + e.getMessage());
        }
    }
}
