package io.idgate.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Which callers may send reviews when {@code idgate.tls.client-ca} is set: a client certificate the
 * TLS layer verified against that CA, carrying one of {@code idgate.tls.client-names} (as subject CN
 * or DNS name) when names are configured. Decides from the verified chain only; the HTTP filter
 * turns a refusal into an answer.
 */
public final class ClientCertificates {

    /** Why a caller is refused: {@code status} 401 (no certificate) or 403 (a certificate, not an accepted one). */
    public record Refusal(int status, String reason, String message) {}

    private final Set<String> acceptedNames;
    /**
     * Leaf certificates already found to carry an accepted name (compared by their encoding): the API
     * server presents the same one on every call, and reading the names (the subject parsed as an LDAP
     * name, the SAN extension) costs 0.8 to 1.5 µs a call in a hot loop, and was 13 µs of a review's
     * 390 µs in the profile of pod creates at 1 client (cold caches between calls). Only
     * acceptances are kept, so a refusal is always worked out (and logged) afresh; bounded, since
     * certificates rotate rarely.
     */
    private final Set<X509Certificate> accepted = ConcurrentHashMap.newKeySet();
    private static final int REMEMBERED = 16;

    public ClientCertificates(Optional<List<String>> acceptedNames) {
        this.acceptedNames = acceptedNames.map(Set::copyOf).orElse(Set.of());
    }

    /** {@code peer}: the verified client chain, empty when the client sent none. */
    public Optional<Refusal> check(List<X509Certificate> peer) {
        if (peer.isEmpty()) {
            return Optional.of(new Refusal(401, "Unauthorized",
                    "a client certificate is required on the admission paths (idgate.tls.client-ca is set); configure the API server"
                            + " to present one with --admission-control-config-file (see docs/certificates.md, \"Verifying the API server\")"));
        }
        if (acceptedNames.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = peer.get(0);
        if (accepted.contains(leaf)) {
            return Optional.empty();
        }
        List<String> names = names(leaf);
        if (names.stream().anyMatch(acceptedNames::contains)) {
            if (accepted.size() >= REMEMBERED) {
                accepted.clear();
            }
            accepted.add(leaf);
            return Optional.empty();
        }
        return Optional.of(new Refusal(403, "Forbidden", "the client certificate names " + (names.isEmpty() ? "nothing" : String.join(", ", names))
                + ", none of idgate.tls.client-names (" + String.join(", ", acceptedNames.stream().sorted().toList()) + ")"));
    }

    /** The subject CNs and DNS subject alternative names of {@code cert}. */
    static List<String> names(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // no usable subject: the SANs may still name the client
        }
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) { // dNSName
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // unreadable SANs name nobody
        }
        return names;
    }
}
