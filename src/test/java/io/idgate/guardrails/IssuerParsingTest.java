package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.guardrails.ParseErrors.Row;
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

    /** An issuer whose claims: block is {@code claims} (two-space indented lines), then {@code extra}. */
    private static String claims(String claims, String extra) {
        return """
                issuers:
                  - name: corp
                    issuer: https://login.corp.example/
                    audience: idgate
                    jwks: %s
                    claims:
                %s%s""".formatted(JWKS, claims.indent(6), extra);
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
                        """), 11, "groups.payments.members[0].claim.groups", "value \"hr\" is not in the allow-list"),
                new Row("a claim pointer with a ~ not followed by 0 or 1 is refused", claims("""
                        /realm_access/roles: [payments]
                        /resource_access/my~client/roles: [payments]""", ""), 8, "issuers[0].claims./resource_access/my~client/roles",
                        "\"/resource_access/my~client/roles\" is not a valid JSON Pointer (RFC 6901): '~' must be followed by 0 or 1;"
                                + " write ~0 for a literal ~ and ~1 for a /"),
                new Row("a claim pointer ending in ~ is refused", claims("/groups~: [payments]", ""), 7, "issuers[0].claims./groups~",
                        "is not a valid JSON Pointer (RFC 6901)"),
                new Row("a claim member naming an invalid pointer is refused at the member", claims("/realm_access/roles: [payments]", """
                        groups:
                          payments:
                            members:
                              - claim: {issuer: corp, /realm_access~roles: payments}
                        """), 11, "groups.payments.members[0].claim./realm_access~roles", "is not a valid JSON Pointer (RFC 6901)"),
                new Row("a claim member must name the pointer exactly as the issuer maps it", claims("/realm_access/roles: [payments]", """
                        groups:
                          payments:
                            members:
                              - claim: {issuer: corp, realm_access/roles: payments}
                        """), 11, "groups.payments.members[0].claim.realm_access/roles",
                        "issuer \"corp\" maps no claim \"realm_access/roles\"; add it under its claims: with the values to accept"
                                + " (mapped: /realm_access/roles)"),
                new Row("an empty authorizedParty is refused", issuer("    authorizedParty: ''\n"), 8, "issuers[0].authorizedParty",
                        "is empty; give a value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refuses(Row row) {
        row.assertRefused();
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
    void claimsAreTopLevelNamesOrJsonPointersAndAzpIsOptional() {
        var parsed = assertInstanceOf(ParseResult.Parsed.class, GuardrailParser.parse("idgate-system", "g", "a.yaml", claims("""
                groups: [payments]
                https://corp.example/groups: [payments]
                /realm_access/roles: [payments]
                /resource_access/my~1client/roles: ["pci-*"]""", """
                    authorizedParty: workload-tokens
                groups:
                  payments:
                    members:
                      - claim: {issuer: corp, "https://corp.example/groups": payments}
                      - claim: {issuer: corp, /resource_access/my~1client/roles: pci-writer}
                """)));
        TrustedIssuer corp = parsed.document().issuers().get("corp");
        assertEquals("workload-tokens", corp.authorizedParty());
        assertEquals(List.of("/realm_access/roles", "/resource_access/my~1client/roles", "groups", "https://corp.example/groups"),
                List.copyOf(corp.claims().keySet()));
        // ~1 is the escaped '/' of a client named my/client; a URL-named claim is one top-level member
        assertEquals(List.of("resource_access", "my/client", "roles"), segments(ClaimMapping.pointer("/resource_access/my~1client/roles")));
        assertEquals(List.of("https://corp.example/groups"), segments(ClaimMapping.pointer("https://corp.example/groups")));
        var withoutAzp = assertInstanceOf(ParseResult.Parsed.class, GuardrailParser.parse("idgate-system", "g", "a.yaml", issuer("")));
        assertNull(withoutAzp.document().issuers().get("corp").authorizedParty(), "azp is not checked unless configured");
    }

    private static List<String> segments(com.fasterxml.jackson.core.JsonPointer pointer) {
        List<String> out = new java.util.ArrayList<>();
        for (var p = pointer; !p.matches(); p = p.tail()) {
            out.add(p.getMatchingProperty());
        }
        return out;
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
