package io.idgate.oidc;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;

/** An identity provider for tests: generated RSA and EC keys, its JWKS, and tokens minted with smallrye-jwt's build API. */
final class TestIssuer {

    static final String ISS = "https://login.corp.example/";
    static final String AUDIENCE = "idgate";

    private final Map<String, KeyPair> keys = new LinkedHashMap<>();

    /** Adds an RSA (RS256) or EC P-256 (ES256) key with this kid. */
    TestIssuer withKey(String kid, boolean ec) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ec ? "EC" : "RSA");
            if (ec) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g.initialize(2048);
            }
            keys.put(kid, g.generateKeyPair());
            return this;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    KeyPair key(String kid) {
        return keys.get(kid);
    }

    /** The JWKS of the given kids (all when none given), public parts only. */
    String jwks(String... kids) {
        List<String> entries = new ArrayList<>();
        for (var e : keys.entrySet()) {
            if (kids.length == 0 || List.of(kids).contains(e.getKey())) {
                try {
                    PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(e.getValue().getPublic());
                    jwk.setKeyId(e.getKey());
                    entries.add(jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
                } catch (org.jose4j.lang.JoseException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return "{\"keys\":[" + String.join(",", entries) + "]}";
    }

    /** A valid token for {@code subject} signed with {@code kid}, after {@code customise}. */
    String token(String kid, String subject, UnaryOperator<JwtClaimsBuilder> customise) {
        KeyPair pair = keys.get(kid);
        boolean ec = pair.getPrivate().getAlgorithm().equals("EC");
        long now = System.currentTimeMillis() / 1000;
        JwtClaimsBuilder claims = Jwt.issuer(ISS).subject(subject).audience(AUDIENCE).issuedAt(now).expiresAt(now + 3600);
        return customise.apply(claims).jws().keyId(kid).algorithm(ec ? SignatureAlgorithm.ES256 : SignatureAlgorithm.RS256)
                .sign(pair.getPrivate());
    }
}
