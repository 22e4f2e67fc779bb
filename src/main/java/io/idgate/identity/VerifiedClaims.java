package io.idgate.identity;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Claims of a verified identity token bound to the ServiceAccount: only the values the issuer's
 * allow-list admits are kept.
 *
 * @param issuer the trusted issuer's name (from the guardrails), not its URL
 * @param claims claim name to allowed values
 */
public record VerifiedClaims(String issuer, SortedMap<String, Set<String>> claims) {

    public VerifiedClaims {
        TreeMap<String, Set<String>> copy = new TreeMap<>();
        claims.forEach((k, v) -> copy.put(k, Set.copyOf(new TreeSet<>(v))));
        claims = java.util.Collections.unmodifiableSortedMap(copy);
    }

    public static VerifiedClaims of(String issuer, Map<String, Set<String>> claims) {
        return new VerifiedClaims(issuer, new TreeMap<>(claims));
    }

    /** The values of {@code claim}, empty when absent. */
    public Set<String> values(String claim) {
        return claims.getOrDefault(claim, Set.of());
    }
}
