package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code issuers:} section and claim members of a guardrail document. */
class IssuerParsingTest {

    private static final String JWKS = "'{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}'";

    private static String issuer(String extra) {
        return """
                issuers:
                  - name: corp
                    issuer: https://login.corp.example/
                    audience: idgate
                    jwks: %s
                    claims:
                      groups: [payments, "pci-*"]
                %s""".formatted(JWKS, extra);
    }

    record Row(String name, String yaml, int line, String path, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> errors() {
        return Stream.of(
                new Row("alg none is refused with the reason", issuer("    algorithms: [none]\n"), 8, "issuers[0].algorithms[0]",
                        "\"none\" is not accepted: unsigned and HMAC tokens can be forged"),
                new Row("an HMAC algorithm is refused", issuer("    algorithms: [RS256, HS256]\n"), 8, "issuers[0].algorithms[1]",
                        "\"HS256\" is not accepted: unsigned and HMAC tokens can be forged"),
                new Row("both an inline key set and a URL are refused", issuer("    jwksUrl: https://login.corp.example/keys\n"), 2,
                        "issuers[0]", "needs exactly one of jwks"),
                new Row("a key set that is not one is refused", """
                        issuers:
                          - name: corp
                            issuer: https://x/
                            audience: idgate
                            jwks: '{"kty":"RSA"}'
                        """, 5, "issuers[0].jwks", "not a JSON Web Key Set"),
                new Row("a missing audience is refused", """
                        issuers:
                          - name: corp
                            issuer: https://x/
                            jwksUrl: https://x/keys
                        """, 2, "issuers[0].audience", "missing; the aud tokens for idgate carry"),
                new Row("a key set URL that is not http is refused", """
                        issuers:
                          - name: corp
                            issuer: https://x/
                            audience: idgate
                            jwksUrl: file:///etc/keys
                        """, 5, "issuers[0].jwksUrl", "is not an http(s) URL"),
                new Row("a clock skew over five minutes is refused", issuer("    clockSkew: 1h\n"), 8, "issuers[0].clockSkew", "out of range"),
                new Row("a claim member of an unknown issuer is refused", issuer("""
                        groups:
                          payments:
                            members:
                              - claim: {issuer: other, groups: payments}
                        """), 11, "groups.payments.members[0].claim.groups", "issuer \"other\" is not defined in this document"),
                new Row("a claim the issuer does not map is refused", issuer("""
                        groups:
                          payments:
                            members:
                              - claim: {issuer: corp, team: payments}
                        """), 11, "groups.payments.members[0].claim.team", "issuer \"corp\" maps no claim \"team\""),
                new Row("a claim value outside the allow-list is refused", issuer("""
                        groups:
                          payments:
                            members:
                              - claim: {issuer: corp, groups: hr}
                        """), 11, "groups.payments.members[0].claim.groups", "value \"hr\" is not in the allow-list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refuses(Row row) {
        ParseErrors.assertRefused(row.yaml(), row.line(), row.path(), row.message());
    }

    @Test
    void aValidIssuerAndItsClaimMemberParse() {
        var parsed = assertInstanceOf(ParseResult.Parsed.class, GuardrailParser.parse("idgate-system", "g", "a.yaml", issuer("""
                groups:
                  pci:
                    members:
                      - claim: {issuer: corp, groups: "pci-*"}
                """)));
        TrustedIssuer corp = parsed.document().issuers().get("corp");
        assertEquals(TrustedIssuer.DEFAULT_ALGORITHMS, corp.algorithms());
        assertTrue(corp.allows("groups", "pci-admins"));
        assertTrue(!corp.allows("groups", "hr"));
        assertEquals(GroupMember.Kind.CLAIM, parsed.document().groups().get("pci").members().get(0).kind());
    }

    @Test
    void theSameIssuerUrlInTwoConfigMapsIsAConflict() {
        var a = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "a", "a.yaml", issuer(""))).document();
        var b = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "b", "b.yaml", issuer("").replace("name: corp", "name: corp2")))
                .document();
        var conflicts = assertInstanceOf(MergeResult.Conflicts.class, GuardrailSnapshot.merge(List.of(a, b)));
        assertTrue(conflicts.errors().get(0).message().contains("issuer URL https://login.corp.example/ is also trusted as \"corp\""),
                conflicts.errors().toString());
    }
}
