package io.idgate.guardrails;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An identity provider whose signed tokens idgate trusts (guardrail {@code issuers:} section).
 *
 * @param name            unique across all guardrail ConfigMaps; a DNS label (it becomes the value of
 *                        {@code P/verified-by})
 * @param issuer          the {@code iss} claim its tokens carry, compared exactly ({@code https://x/} is not
 *                        {@code https://x})
 * @param audience        the {@code aud} its tokens must carry for idgate (a token's {@code aud} may be a string
 *                        or a list that holds it)
 * @param authorizedParty the {@code azp} its tokens must carry (the client they were issued to), or null: then
 *                        {@code azp} is not checked
 * @param jwks            an inline JSON Web Key Set, or null when {@code jwksUrl} is set
 * @param jwksUrl         where its key set is fetched from (HTTPS), or null when inline
 * @param refreshInterval how often a fetched key set is refreshed
 * @param algorithms      accepted signature algorithms (asymmetric only)
 * @param clockSkew       tolerance on {@code exp}, {@code nbf} and {@code iat}
 * @param claims          claim reference ({@link ClaimMapping}: a top-level name or a JSON Pointer) to
 *                        allow-listed values (globs): only these values count
 */
public record TrustedIssuer(
        String name,
        String issuer,
        String audience,
        String authorizedParty,
        String jwks,
        URI jwksUrl,
        Duration refreshInterval,
        List<String> algorithms,
        Duration clockSkew,
        SortedMap<String, List<String>> claims,
        Source source,
        int line) {

    /** Signature algorithms accepted in {@code algorithms}: RSA, RSA-PSS and ECDSA, 256 bits and up. */
    public static final List<String> ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(10);

    public TrustedIssuer {
        algorithms = List.copyOf(algorithms);
        TreeMap<String, List<String>> copy = new TreeMap<>();
        claims.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        claims = Collections.unmodifiableSortedMap(copy);
    }

    /** True when {@code value} of {@code claim} is allow-listed. */
    public boolean allows(String claim, String value) {
        return claims.getOrDefault(claim, List.of()).stream().anyMatch(glob -> Globs.matches(glob, value));
    }
}
