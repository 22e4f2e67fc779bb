package io.idgate.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.MergeResult;
import io.idgate.guardrails.ParseResult;
import io.idgate.identity.IdentityTokens;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.identity.WorkloadIdentity;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Tokens laid out as real providers write them (docs/oidc-providers.md): each is verified and mapped to
 * its groups, and the same token with the claim missing, of another type or outside the allow-list gives
 * no group and a warning saying why.
 */
class ProviderTokensTest {

    private static final String SUBJECT = "system:serviceaccount:payments:api";
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String PAYMENTS_GUID = "0b6f1a9e-3c2d-4e5f-8a7b-9c0d1e2f3a4b";
    private final TestIssuer idp = new TestIssuer().withKey("k1", false);

    /** The guardrail document of docs/oidc-providers.md for one provider, with the test key set. */
    private GuardrailSnapshot guardrails(String issuerFields, String claims, String members) {
        String yaml = """
                issuers:
                  - name: idp
                %s
                    jwks: '%s'
                    claims:
                %s
                groups:
                  payments:
                    members:
                %s
                """.formatted(issuerFields.indent(4).stripTrailing(), idp.jwks(), claims.indent(6).stripTrailing(),
                members.indent(6).stripTrailing());
        var parsed = GuardrailParser.parse("idgate-system", "guardrails-idp", "idp.yaml", yaml);
        if (parsed instanceof ParseResult.Invalid invalid) {
            throw new AssertionError(invalid.errors() + "\n" + yaml);
        }
        return ((MergeResult.Merged) GuardrailSnapshot.merge(List.of(((ParseResult.Parsed) parsed).document()))).snapshot();
    }

    private record Outcome(IdentityTokens.TokenCheck check, Set<String> groups) {}

    private Outcome verify(GuardrailSnapshot snapshot, UnaryOperator<JwtClaimsBuilder> claims) {
        String token = idp.token("k1", SUBJECT, claims);
        var verifier = new IdentityTokenVerifier(() -> snapshot, new KeySets(HttpClient.newHttpClient(), Clock.systemUTC()),
                Clock.systemUTC(), "idgate.io/identity-token", "cluster.local");
        var sa = new ServiceAccountInfo("payments", "api", Map.of("idgate.io/identity-token", token), "1");
        var check = verifier.check(sa, WorkloadIdentity.of(sa, "cluster.local"));
        WorkloadIdentity identity = WorkloadIdentity.of(sa, "cluster.local");
        return new Outcome(check, check.claims() == null ? Set.of() : snapshot.groupsOf(identity.withVerified(check.claims())));
    }

    private static void assertGroups(Outcome outcome, Set<String> groups, List<String> warnings) {
        assertEquals("verified", outcome.check().result(), outcome.check().warnings().toString());
        assertEquals(groups, outcome.groups());
        assertEquals(warnings, outcome.check().warnings());
    }

    private static void assertRefused(Outcome outcome, String result, String reason) {
        assertNull(outcome.check().claims());
        assertEquals(result, outcome.check().result());
        assertTrue(outcome.check().warnings().get(0).contains("identity token ignored: " + reason), outcome.check().warnings().toString());
    }

    // Okta, custom authorization server "default": issuer without a trailing slash, aud api://default, a groups array.

    private GuardrailSnapshot okta() {
        return guardrails("""
                issuer: https://dev-123456.okta.com/oauth2/default
                audience: api://default""", "groups: [payments, \"pci-*\"]", "- claim: {issuer: idp, groups: payments}");
    }

    private static JwtClaimsBuilder okta(JwtClaimsBuilder c) {
        return c.issuer("https://dev-123456.okta.com/oauth2/default").audience("api://default").claim("ver", 1)
                .claim("cid", "0oa1b2c3d4e5f6g7h8i9").claim("scp", List.of("idgate"));
    }

    @Test
    void oktaGroupsMapToTheGroup() {
        assertGroups(verify(okta(), c -> okta(c).claim("groups", List.of("Everyone", "payments"))), Set.of("payments"),
                List.of("identity token of issuer idp: claim groups value \"Everyone\" is not in the issuer's allow-list; ignored"));
    }

    @Test
    void anOktaTokenWithoutTheGroupsClaimGivesNoGroup() {
        // the authorization server emits groups only once a groups claim is defined on it
        assertGroups(verify(okta(), ProviderTokensTest::okta), Set.of(),
                List.of("identity token of issuer idp: claim groups is not in the token; no group from it"));
    }

    @Test
    void theIssuerIsComparedExactlySoATrailingSlashIsAnotherIssuer() {
        assertRefused(verify(okta(), c -> okta(c).issuer("https://dev-123456.okta.com/oauth2/default/")), "unknown-issuer",
                "issuer \"https://dev-123456.okta.com/oauth2/default/\" is not trusted (trusted: https://dev-123456.okta.com/oauth2/default);"
                        + " issuers are compared exactly and issuer idp differs only by the trailing slash");
    }

    // Auth0: namespaced (URL-named) custom claims, which are literal top-level names.

    @Test
    void anAuth0UrlNamedClaimIsALiteralName() {
        var auth0 = guardrails("""
                issuer: https://corp.eu.auth0.com/
                audience: https://idgate.corp.example""", "https://corp.example/groups: [payments]",
                "- claim: {issuer: idp, \"https://corp.example/groups\": payments}");
        UnaryOperator<JwtClaimsBuilder> token = c -> c.issuer("https://corp.eu.auth0.com/")
                .audience(Set.of("https://idgate.corp.example", "https://corp.eu.auth0.com/userinfo")).claim("azp", "AbC123");
        assertGroups(verify(auth0, c -> token.apply(c).claim("https://corp.example/groups", List.of("payments"))), Set.of("payments"),
                List.of());
        assertGroups(verify(auth0, c -> token.apply(c).claim("groups", List.of("payments"))), Set.of(),
                List.of("identity token of issuer idp: claim https://corp.example/groups is not in the token; no group from it"));
    }

    // Keycloak: realm roles under realm_access, client roles under resource_access.<client>, aud a list, azp the client.

    private GuardrailSnapshot keycloak(String claims, String members) {
        return guardrails("""
                issuer: https://keycloak.corp.example/realms/corp
                audience: idgate
                authorizedParty: workload-tokens""", claims, members);
    }

    private GuardrailSnapshot keycloak() {
        return keycloak("""
                /realm_access/roles: [payments]
                /resource_access/idgate/roles: ["pci-*"]""", """
                - claim: {issuer: idp, /realm_access/roles: payments}
                - claim: {issuer: idp, /resource_access/idgate/roles: pci-writer}""");
    }

    private static JwtClaimsBuilder keycloak(JwtClaimsBuilder c, List<String> realmRoles, List<String> clientRoles) {
        return c.issuer("https://keycloak.corp.example/realms/corp").audience(Set.of("idgate", "account")).claim("azp", "workload-tokens")
                .claim("typ", "Bearer").claim("realm_access", Map.of("roles", realmRoles))
                .claim("resource_access", Map.of("idgate", Map.of("roles", clientRoles), "account", Map.of("roles", List.of("view-profile"))));
    }

    @Test
    void keycloakRealmAndClientRolesAreFoundByPointer() {
        var outcome = verify(keycloak(), c -> keycloak(c, List.of("offline_access", "payments"), List.of()));
        assertGroups(outcome, Set.of("payments"),
                List.of("identity token of issuer idp: claim /realm_access/roles value \"offline_access\" is not in the issuer's allow-list;"
                        + " ignored"));
        assertEquals(Set.of("payments"), outcome.check().claims().values("/realm_access/roles"));
        assertGroups(verify(keycloak(), c -> keycloak(c, List.of(), List.of("pci-writer"))), Set.of("payments"), List.of());
    }

    @Test
    void aKeycloakClaimWrittenWithDotsIsALiteralNameAndTheWarningNamesThePointer() {
        var dotted = keycloak("realm_access.roles: [payments]", "- claim: {issuer: idp, realm_access.roles: payments}");
        assertGroups(verify(dotted, c -> keycloak(c, List.of("payments"), List.of())), Set.of(), List.of("identity token of issuer idp: claim"
                + " realm_access.roles is not in the token (for the nested claim write the JSON Pointer /realm_access/roles); no group from it"));
    }

    @Test
    void aKeycloakPointerToAnObjectIsIgnoredNamingTheType() {
        var object = keycloak("/realm_access: [payments]", "- claim: {issuer: idp, /realm_access: payments}");
        assertGroups(verify(object, c -> keycloak(c, List.of("payments"), List.of())), Set.of(), List.of("identity token of issuer idp:"
                + " claim /realm_access is an object, not a string or an array of strings; ignored"));
    }

    @Test
    void aKeycloakTokenForAnotherClientIsRefusedAndAzpIsIgnoredUnlessConfigured() {
        assertRefused(verify(keycloak(), c -> keycloak(c, List.of("payments"), List.of()).claim("azp", "account-console")),
                "wrong-authorized-party", "its azp is \"account-console\", and issuer idp accepts only authorizedParty \"workload-tokens\"");
        var withoutAzp = guardrails("""
                issuer: https://keycloak.corp.example/realms/corp
                audience: idgate""", "/realm_access/roles: [payments]", "- claim: {issuer: idp, /realm_access/roles: payments}");
        assertGroups(verify(withoutAzp, c -> keycloak(c, List.of("payments"), List.of()).claim("azp", "account-console")),
                Set.of("payments"), List.of());
    }

    @Test
    void aKeycloakTokenWhoseAudienceListLacksIdgateIsRefused() {
        assertRefused(verify(keycloak(), c -> keycloak(c, List.of("payments"), List.of()).audience(Set.of("account", "broker"))),
                "wrong-audience", "its audience is not \"idgate\"");
    }

    // Azure AD (Entra ID) v2: tenant-specific issuer, aud the application's client ID, groups as object-ID GUIDs, app roles, tid.

    private GuardrailSnapshot azure() {
        return guardrails("""
                issuer: https://login.microsoftonline.com/%s/v2.0
                audience: 6e74172b-be56-4843-9ff4-e66a39bb12e3""".formatted(TENANT), """
                groups: [%s]
                roles: [Payments.Writer]
                tid: [%s]""".formatted(PAYMENTS_GUID, TENANT), """
                - claim: {issuer: idp, groups: %s}
                - claim: {issuer: idp, roles: Payments.Writer}""".formatted(PAYMENTS_GUID));
    }

    private static JwtClaimsBuilder azure(JwtClaimsBuilder c, String tenant) {
        return c.issuer("https://login.microsoftonline.com/" + tenant + "/v2.0").audience("6e74172b-be56-4843-9ff4-e66a39bb12e3")
                .claim("tid", tenant).claim("ver", "2.0").claim("azp", "b1d2c3e4-0000-4000-8000-000000000001")
                .claim("oid", "9a8b7c6d-0000-4000-8000-000000000002");
    }

    @Test
    void azureGuidGroupsAndAppRolesMapToTheGroup() {
        var outcome = verify(azure(), c -> azure(c, TENANT).claim("groups", List.of(PAYMENTS_GUID, "aaaaaaaa-0000-4000-8000-000000000000")));
        assertGroups(outcome, Set.of("payments"), List.of("identity token of issuer idp: claim groups value"
                + " \"aaaaaaaa-0000-4000-8000-000000000000\" is not in the issuer's allow-list; ignored",
                "identity token of issuer idp: claim roles is not in the token; no group from it"));
        assertEquals(Set.of(TENANT), outcome.check().claims().values("tid"));
        assertGroups(verify(azure(), c -> azure(c, TENANT).claim("roles", List.of("Payments.Writer"))), Set.of("payments"),
                List.of("identity token of issuer idp: claim groups is not in the token; no group from it"));
    }

    @Test
    void azureGroupsOverageGivesNoGroupAndSaysWhy() {
        // members of over 200 groups get a pointer to Graph instead of the groups claim
        var outcome = verify(azure(), c -> azure(c, TENANT).claim("roles", List.of()).claim("_claim_names", Map.of("groups", "src1"))
                .claim("_claim_sources", Map.of("src1", Map.of("endpoint", "https://graph.microsoft.com/v1.0/users/x/getMemberObjects"))));
        assertEquals(Set.of(), outcome.groups());
        assertTrue(outcome.check().warnings().get(0).startsWith("identity token of issuer idp: claim groups is not in the token (the"
                + " provider moved it to _claim_sources, as Azure AD does for members of many groups;"), outcome.check().warnings().toString());
    }

    @Test
    void aTokenOfAnotherAzureTenantIsRefused() {
        String other = "11111111-2222-3333-4444-555555555555";
        assertRefused(verify(azure(), c -> azure(c, other).claim("groups", List.of(PAYMENTS_GUID))), "unknown-issuer",
                "issuer \"https://login.microsoftonline.com/" + other + "/v2.0\" is not trusted");
    }

    // Google Workspace ID token: no groups; hd names the Workspace domain, email_verified is a boolean.

    private GuardrailSnapshot google(String claims) {
        return guardrails("""
                issuer: https://accounts.google.com
                audience: 1234567890-abc.apps.googleusercontent.com""", claims, "- claim: {issuer: idp, hd: corp.example}");
    }

    private static JwtClaimsBuilder google(JwtClaimsBuilder c) {
        return c.issuer("https://accounts.google.com").audience("1234567890-abc.apps.googleusercontent.com")
                .claim("azp", "1234567890-abc.apps.googleusercontent.com").claim("email", "payments-api@corp.example")
                .claim("email_verified", true);
    }

    @Test
    void googleWorkspaceHdMapsToTheGroup() {
        assertGroups(verify(google("hd: [corp.example]"), c -> google(c).claim("hd", "corp.example")), Set.of("payments"), List.of());
    }

    @Test
    void aGoogleTokenOfAnotherDomainOrOfAConsumerAccountGivesNoGroup() {
        assertGroups(verify(google("hd: [corp.example]"), c -> google(c).claim("hd", "evil.example")), Set.of(),
                List.of("identity token of issuer idp: claim hd value \"evil.example\" is not in the issuer's allow-list; ignored"));
        // consumer accounts (gmail.com) carry no hd at all
        assertGroups(verify(google("hd: [corp.example]"), ProviderTokensTest::google), Set.of(),
                List.of("identity token of issuer idp: claim hd is not in the token; no group from it"));
    }

    @Test
    void aBooleanClaimIsIgnoredNamingItsType() {
        var outcome = verify(google("hd: [corp.example]\nemail_verified: [\"true\"]"), c -> google(c).claim("hd", "corp.example"));
        assertGroups(outcome, Set.of("payments"), List.of("identity token of issuer idp: claim email_verified is a boolean (true),"
                + " not a string or an array of strings; ignored"));
    }

    @Test
    void anArrayElementThatIsNotAStringIsIgnoredAndTheOthersCount() {
        // (smallrye's token builder refuses a non-string in groups, so roles carries it)
        assertGroups(verify(azure(), c -> azure(c, TENANT).claim("groups", List.of(PAYMENTS_GUID)).claim("roles", List.of(42, "Payments.Writer"))),
                Set.of("payments"), List.of("identity token of issuer idp: claim roles holds a number (42), not a string; ignored"));
    }
}
