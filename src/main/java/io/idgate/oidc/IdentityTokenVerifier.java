package io.idgate.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idgate.guardrails.ClaimMapping;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.TrustedIssuer;
import io.idgate.identity.IdentityTokens;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.identity.VerifiedClaims;
import io.idgate.identity.WorkloadIdentity;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Verifies the identity token on a ServiceAccount (annotation {@code P/identity-token}) with
 * smallrye-jwt: signature against the issuer's key set with an accepted asymmetric algorithm,
 * {@code iss} (exactly as configured), {@code aud} (a string or a list holding the audience), {@code azp} when
 * the issuer names an {@code authorizedParty}, {@code exp}/{@code nbf}/{@code iat} within the clock skew, and the binding:
 * {@code sub} must be this ServiceAccount's OIDC subject ({@code system:serviceaccount:<ns>:<sa>}) or
 * its SPIFFE ID, so a token copied to another ServiceAccount is worthless. Then only the allow-listed
 * values of the mapped claims are kept ({@link ClaimMapping}).
 *
 * <p>Not verified: revocation (a token stays good until it expires: keep them short-lived and rotate
 * the ServiceAccount annotation), and who wrote the annotation (anyone allowed to edit the
 * ServiceAccount can remove or replace the token, but cannot mint one the issuer did not sign).
 *
 * <p>Verified tokens are cached by token text, key-set version and issuer definition; expiry is
 * re-checked on every use.
 */
public final class IdentityTokenVerifier implements IdentityTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CACHE_LIMIT = 10_000;

    private final Supplier<GuardrailSnapshot> snapshot;
    private final KeySets keySets;
    private final Clock clock;
    private final String annotation;
    private final String trustDomain;
    private final Map<CacheKey, Verified> cache = new ConcurrentHashMap<>();

    private record CacheKey(String token, TrustedIssuer issuer, long keysVersion) {}

    private record Verified(VerifiedClaims claims, long expiresAtSeconds, List<String> warnings) {}

    /** A token refused, with the metric tag and the reason for the warning. */
    private static final class Refused extends Exception {
        final String result;

        Refused(String result, String reason) {
            super(reason, null, false, false);
            this.result = result;
        }
    }

    public IdentityTokenVerifier(Supplier<GuardrailSnapshot> snapshot, KeySets keySets, Clock clock, String annotation, String trustDomain) {
        this.snapshot = snapshot;
        this.keySets = keySets;
        this.clock = clock;
        this.annotation = annotation;
        this.trustDomain = trustDomain;
    }

    @Override
    public TokenCheck check(ServiceAccountInfo sa, WorkloadIdentity identity) {
        String token = sa.annotation(annotation);
        if (token == null) {
            return TokenCheck.ABSENT;
        }
        try {
            Verified v = verify(token, identity);
            return new TokenCheck(v.claims(), "verified", v.warnings());
        } catch (Refused r) {
            return new TokenCheck(null, r.result, List.of("metadata.annotations[" + annotation + "] of ServiceAccount " + sa.namespace() + "/"
                    + sa.name() + ": identity token ignored: " + r.getMessage()));
        }
    }

    private Verified verify(String token, WorkloadIdentity identity) throws Refused {
        token = token.strip(); // the bytes whose signature is checked are the bytes whose claims are read
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused("malformed", parts.length == 5 ? "encrypted tokens (JWE) are not accepted; annotate a signed JWT"
                    : "not a JWT (expected header.payload.signature)");
        }
        JsonNode header = decode(parts[0], "header");
        JsonNode payload = decode(parts[1], "payload");
        String iss = payload.path("iss").asText("");
        TrustedIssuer issuer = snapshot.get().issuerFor(iss).orElseThrow(() -> new Refused("unknown-issuer",
                "issuer \"" + iss + "\" is not trusted" + trusted(iss)));
        String alg = header.path("alg").asText("");
        if (!issuer.algorithms().contains(alg)) {
            throw new Refused("algorithm-not-allowed", "algorithm \"" + alg + "\" is not accepted for issuer " + issuer.name()
                    + " (accepted: " + String.join(", ", issuer.algorithms()) + ")");
        }
        String keys = keySets.keys(issuer);
        if (keys == null) {
            throw new Refused("keys-unavailable", "the key set of issuer " + issuer.name() + " has not been fetched yet from "
                    + issuer.jwksUrl() + "; recreate the pod once it has (see the idgate log)");
        }
        String kid = header.path("kid").asText(null);
        if (kid != null && !keySets.hasKey(issuer, kid)) {
            keySets.unknownKey(issuer);
            throw new Refused("unknown-key", "key \"" + kid + "\" is not in the key set of issuer " + issuer.name()
                    + (issuer.jwksUrl() == null ? "; add it to the issuer's jwks" : "; idgate is fetching the key set again, recreate the pod in a few seconds"));
        }
        CacheKey key = new CacheKey(token, issuer, keySets.version(issuer));
        Verified cached = cache.get(key);
        if (cached == null) {
            cached = verifySignature(token, payload, issuer, keys);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear(); // bounded: tokens per ServiceAccount are few; a flood of distinct tokens only costs re-verification
            }
            cache.put(key, cached);
        }
        long now = clock.instant().getEpochSecond();
        if (cached.expiresAtSeconds() + issuer.clockSkew().toSeconds() < now) {
            throw new Refused("expired", "it expired at " + java.time.Instant.ofEpochSecond(cached.expiresAtSeconds()) + "; mint a new one");
        }
        String sub = payload.path("sub").asText("");
        String spiffe = WorkloadIdentity.spiffeId(trustDomain, identity.namespace(), identity.serviceAccount());
        if (!sub.equals(identity.oidcSubject()) && !sub.equals(spiffe)) {
            throw new Refused("wrong-subject", "it is bound to \"" + sub + "\", not to this ServiceAccount (sub must be "
                    + identity.oidcSubject() + " or " + spiffe + ")");
        }
        return cached;
    }

    private Verified verifySignature(String token, JsonNode payload, TrustedIssuer issuer, String keys) throws Refused {
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setPublicKeyContent(keys);
        context.setIssuedBy(issuer.issuer());
        context.setExpectedAudience(Set.of(issuer.audience()));
        context.setSignatureAlgorithm(issuer.algorithms().stream().map(SignatureAlgorithm::fromAlgorithm).collect(Collectors.toSet()));
        context.setClockSkew((int) issuer.clockSkew().toSeconds());
        context.setRequireNamedPrincipal(false);
        JsonWebToken jwt;
        try {
            jwt = new DefaultJWTParser(context).parse(token);
        } catch (ParseException e) {
            throw classify(e, issuer);
        }
        if (issuer.authorizedParty() != null && !issuer.authorizedParty().equals(payload.path("azp").asText(null))) {
            // azp names the client the token was issued to; an issuer that sets authorizedParty accepts only that client's
            throw new Refused("wrong-authorized-party", (payload.path("azp").isTextual() ? "its azp is \"" + payload.path("azp").asText()
                    + "\"" : "it carries no azp") + ", and issuer " + issuer.name() + " accepts only authorizedParty \""
                    + issuer.authorizedParty() + "\"; mint it with that client");
        }
        // the payload is the signed one (same token text), so reading it after verification is safe
        ClaimMapping.Mapped mapped = ClaimMapping.map(issuer, payload);
        return new Verified(VerifiedClaims.of(issuer.name(), mapped.claims()), jwt.getExpirationTime(), mapped.warnings());
    }

    private static Refused classify(ParseException e, TrustedIssuer issuer) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                if (invalid.hasErrorCode(ErrorCodes.EXPIRED)) {
                    return new Refused("expired", "it has expired; mint a new one");
                }
                if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
                    return new Refused("not-yet-valid", "it is not valid yet (nbf or iat in the future beyond the "
                            + issuer.clockSkew().toSeconds() + " s clock skew)");
                }
                if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return new Refused("wrong-audience", "its audience is not \"" + issuer.audience() + "\"; mint it for that audience");
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
                    return new Refused("wrong-issuer", "its iss does not match issuer " + issuer.name());
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
                    return new Refused("bad-signature", "its signature does not verify with the key set of issuer " + issuer.name());
                }
            }
        }
        return new Refused("invalid", "it does not verify against issuer " + issuer.name()
                + " (signature, algorithm, exp, nbf, iss and aud are checked; the idgate log has the detail)");
    }

    private String trusted(String iss) {
        var issuers = snapshot.get().issuers().values();
        if (issuers.isEmpty()) {
            return " (no issuers are configured in the guardrails)";
        }
        String list = " (trusted: " + issuers.stream().map(TrustedIssuer::issuer).collect(Collectors.joining(", ")) + ")";
        // issuers are compared exactly, as OIDC says; a trailing slash is the usual near miss
        String other = iss.endsWith("/") ? iss.substring(0, iss.length() - 1) : iss + "/";
        return issuers.stream().filter(i -> i.issuer().equals(other)).findFirst()
                .map(i -> list + "; issuers are compared exactly and issuer " + i.name() + " differs only by the trailing slash:"
                        + " write its issuer: exactly as the provider's tokens carry iss")
                .orElse(list);
    }

    private static JsonNode decode(String part, String what) throws Refused {
        try {
            JsonNode node = JSON.readTree(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw new Refused("malformed", "the JWT " + what + " is not a JSON object");
            }
            return node;
        } catch (IllegalArgumentException | IOException e) {
            throw new Refused("malformed", "the JWT " + what + " is not base64url-encoded JSON");
        }
    }
}
