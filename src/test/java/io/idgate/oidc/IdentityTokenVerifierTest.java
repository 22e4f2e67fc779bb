package io.idgate.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.MergeResult;
import io.idgate.guardrails.ParseResult;
import io.idgate.identity.IdentityTokens;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.identity.WorkloadIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Identity tokens on ServiceAccounts, verified against a trusted issuer of the guardrails. */
class IdentityTokenVerifierTest {

    private static final String SUBJECT = "system:serviceaccount:payments:api";
    private final TestIssuer idp = new TestIssuer().withKey("rsa-1", false).withKey("ec-1", true).withKey("rsa-2", false);
    private HttpServer jwksServer;

    @AfterEach
    void stopServer() {
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    private static GuardrailSnapshot snapshot(String keysYaml) {
        String yaml = """
                issuers:
                  - name: corp
                    issuer: %s
                    audience: %s
                %s
                    algorithms: [RS256, ES256]
                    clockSkew: 30s
                    claims:
                      groups: [payments, "pci-*"]
                groups:
                  payments:
                    members:
                      - claim: {issuer: corp, groups: payments}
                """.formatted(TestIssuer.ISS, TestIssuer.AUDIENCE, keysYaml);
        var parsed = GuardrailParser.parse("idgate-system", "guardrails-oidc", "oidc.yaml", yaml);
        if (parsed instanceof ParseResult.Invalid invalid) {
            throw new AssertionError(invalid.errors().toString());
        }
        return ((MergeResult.Merged) GuardrailSnapshot.merge(List.of(((ParseResult.Parsed) parsed).document()))).snapshot();
    }

    private GuardrailSnapshot inline(String... kids) {
        return snapshot("    jwks: '" + idp.jwks(kids) + "'");
    }

    private static IdentityTokenVerifier verifier(GuardrailSnapshot snapshot) {
        // no minimum between forced refreshes: the rotation test would otherwise wait 10 s
        return new IdentityTokenVerifier(() -> snapshot, new KeySets(HttpClient.newHttpClient(), Clock.systemUTC(), java.time.Duration.ZERO),
                Clock.systemUTC(),
                "idgate.io/identity-token", "cluster.local");
    }

    private static IdentityTokens.TokenCheck check(IdentityTokenVerifier verifier, String namespace, String name, String token) {
        var sa = new ServiceAccountInfo(namespace, name, Map.of("idgate.io/identity-token", token), "1");
        return verifier.check(sa, WorkloadIdentity.of(sa, "cluster.local"));
    }

    private IdentityTokens.TokenCheck check(String token) {
        return check(verifier(inline()), "payments", "api", token);
    }

    private static void assertRefused(IdentityTokens.TokenCheck outcome, String result, String reason) {
        assertNull(outcome.claims(), "no claims from a refused token");
        assertEquals(result, outcome.result());
        assertEquals(1, outcome.warnings().size());
        assertTrue(outcome.warnings().get(0).contains("identity token ignored: " + reason), outcome.warnings().get(0));
    }

    @Test
    void anRsaSignedTokenBoundToTheServiceAccountIsVerified() {
        var outcome = check(idp.token("rsa-1", SUBJECT, c -> c.claim("groups", List.of("payments", "pci-admins", "hr"))));
        assertEquals("verified", outcome.result());
        assertEquals("corp", outcome.claims().issuer());
        assertEquals(Set.of("payments", "pci-admins"), outcome.claims().values("groups"));
        assertEquals(List.of("identity token of issuer corp: claim groups value \"hr\" is not in the issuer's allow-list; ignored"),
                outcome.warnings());
    }

    @Test
    void anEcSignedTokenBoundByItsSpiffeIdIsVerified() {
        var outcome = check(idp.token("ec-1", "spiffe://cluster.local/ns/payments/sa/api", c -> c.claim("groups", "payments")));
        assertEquals("verified", outcome.result());
        assertEquals(Set.of("payments"), outcome.claims().values("groups"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        long now = System.currentTimeMillis() / 1000;
        assertRefused(check(idp.token("rsa-1", SUBJECT, c -> c.issuedAt(now - 7200).expiresAt(now - 3600))), "expired", "it has expired");
    }

    @Test
    void aTokenNotValidYetIsRefused() {
        long now = System.currentTimeMillis() / 1000;
        assertRefused(check(idp.token("rsa-1", SUBJECT, c -> c.claim("nbf", now + 600))), "not-yet-valid", "it is not valid yet");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertRefused(check(idp.token("rsa-1", SUBJECT, c -> c.audience("another-service"))), "wrong-audience",
                "its audience is not \"idgate\"");
    }

    @Test
    void aTokenOfAnUntrustedIssuerIsRefused() {
        assertRefused(check(idp.token("rsa-1", SUBJECT, c -> c.issuer("https://evil.example/"))), "unknown-issuer",
                "issuer \"https://evil.example/\" is not trusted (trusted: https://login.corp.example/)");
    }

    @Test
    void aTokenSignedByAKeyOutsideTheSetIsRefused() {
        // signed with rsa-2, which the trusted set does not hold, but claiming kid rsa-1
        String forged = idp.token("rsa-2", SUBJECT, c -> c);
        String[] parts = forged.split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"kid\":\"rsa-1\",\"typ\":\"JWT\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(check(verifier(inline("rsa-1", "ec-1")), "payments", "api", header + "." + parts[1] + "." + parts[2]),
                "bad-signature", "its signature does not verify");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        long now = System.currentTimeMillis() / 1000;
        String payload = b64("{\"iss\":\"" + TestIssuer.ISS + "\",\"sub\":\"" + SUBJECT + "\",\"aud\":\"idgate\",\"exp\":" + (now + 600) + "}");
        assertRefused(check(header + "." + payload + "."), "algorithm-not-allowed", "algorithm \"none\" is not accepted");
    }

    @Test
    void anHmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
        // the classic key-confusion attack: HS256 with the issuer's public key as the shared secret
        String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"rsa-1\"}");
        long now = System.currentTimeMillis() / 1000;
        String payload = b64("{\"iss\":\"" + TestIssuer.ISS + "\",\"sub\":\"" + SUBJECT + "\",\"aud\":\"idgate\",\"exp\":" + (now + 600)
                + ",\"groups\":[\"payments\"]}");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(idp.key("rsa-1").getPublic().getEncoded(), "HmacSHA256"));
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        assertRefused(check(header + "." + payload + "." + signature), "algorithm-not-allowed", "algorithm \"HS256\" is not accepted");
    }

    @Test
    void aTokenBoundToAnotherServiceAccountIsRefused() {
        String token = idp.token("rsa-1", "system:serviceaccount:payments:other", c -> c.claim("groups", "payments"));
        assertRefused(check(token), "wrong-subject", "it is bound to \"system:serviceaccount:payments:other\", not to this ServiceAccount");
        // the same token is valid on the ServiceAccount it names
        assertEquals("verified", check(verifier(inline()), "payments", "other", token).result());
    }

    @Test
    void somethingThatIsNotAJwtIsRefused() {
        assertRefused(check("definitely-not-a-token"), "malformed", "not a JWT");
    }

    @Test
    void anUnknownKidIsFetchedAgainAndTheRotatedKeyThenVerifies() throws Exception {
        AtomicReference<String> served = new AtomicReference<>(idp.jwks("rsa-1"));
        AtomicInteger fetches = new AtomicInteger();
        AtomicInteger failNext = new AtomicInteger();
        jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwksServer.createContext("/keys", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            int status = failNext.getAndSet(0) > 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwksServer.start();
        var snapshot = snapshot("    jwksUrl: http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/keys");
        var verifier = verifier(snapshot);
        String first = idp.token("rsa-1", SUBJECT, c -> c.claim("groups", "payments"));

        // the first check starts the fetch; until it arrives the token cannot be verified
        awaitVerified(verifier, first);

        // the provider rotates to rsa-2: a token with the new kid triggers a fetch and then verifies
        served.set(idp.jwks("rsa-1", "rsa-2"));
        String rotated = idp.token("rsa-2", SUBJECT, c -> c.claim("groups", "payments"));
        assertRefused(check(verifier, "payments", "api", rotated), "unknown-key", "key \"rsa-2\" is not in the key set of issuer corp");
        awaitVerified(verifier, rotated);

        // a failing provider does not take the last good key set away
        int before = fetches.get();
        failNext.set(1);
        assertRefused(check(verifier, "payments", "api", idp.token("ec-1", SUBJECT, c -> c)), "unknown-key", "key \"ec-1\"");
        long deadline = System.currentTimeMillis() + 5_000;
        while (fetches.get() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(100);
        assertEquals(before + 1, fetches.get(), "one more fetch, answered 500");
        assertEquals("verified", check(verifier, "payments", "api", rotated).result());
    }

    private static void awaitVerified(IdentityTokenVerifier verifier, String token) throws InterruptedException {
        IdentityTokens.TokenCheck outcome = check(verifier, "payments", "api", token);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"verified".equals(outcome.result()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            outcome = check(verifier, "payments", "api", token);
        }
        assertEquals("verified", outcome.result(), outcome.warnings().toString());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
