package io.idgate.api;

import static io.idgate.testing.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OIDC-protected query API: 401 without a valid token, 403 without the role, answers with it. */
@QuarkusTest
@TestProfile(QueryApiTest.ApiProfile.class)
class QueryApiTest {

    static final String ISSUER = "https://idp.test/";

    public static class ApiProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.jwt.verify.issuer", ISSUER,
                    "mp.jwt.verify.publickey.location", "api/publicKey.pem",
                    "mp.jwt.verify.audiences", "idgate-api",
                    "smallrye.jwt.sign.key.location", "api/privateKey.pem",
                    "idgate.api.viewer-groups", "platform-readers",
                    "idgate.api.admin-groups", "platform-admins");
        }
    }

    private static String token(String... groups) {
        return Jwt.issuer(ISSUER).subject("alice").audience("idgate-api").groups(Set.of(groups)).expiresIn(300).sign();
    }

    private static final String POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: open-ports, namespace: api-a}
            spec:
              podSelector: {}
              policyTypes: [Ingress]
              ingress:
                - from: [{podSelector: {matchLabels: {app: web}}}]
            """;

    @Test
    void withoutATokenTheApiAnswers401() {
        given().get("/api/v1/identities?namespace=payments&serviceAccount=api").then().statusCode(401);
    }

    @Test
    void aTokenThatDoesNotVerifyIsRefusedWith401() {
        given().auth().oauth2("not-a-jwt").get("/api/v1/identities?namespace=payments&serviceAccount=api").then().statusCode(401);
        String otherIssuer = Jwt.issuer("https://evil.test/").subject("mallory").audience("idgate-api").groups("platform-admins")
                .expiresIn(300).sign();
        given().auth().oauth2(otherIssuer).get("/api/v1/guardrails").then().statusCode(401);
    }

    @Test
    void aTokenWithoutAnIdgateRoleIsRefusedWith403() {
        // a provider group literally called "admin" is not one of the configured admin groups
        given().auth().oauth2(token("admin", "viewer")).get("/api/v1/identities?namespace=payments&serviceAccount=api").then().statusCode(403);
    }

    @Test
    void aViewerGetsTheLabelsOfAnIdentityAsTheCliPrintsThem() {
        given().auth().oauth2(token("platform-readers")).get("/api/v1/identities?spiffeId=spiffe://cluster.local/ns/payments/sa/api")
                .then().statusCode(200)
                .body("serviceAccount", equalTo("payments/api"))
                .body("labels.'idgate.io/service-account'", equalTo("api"))
                .body("labels.'idgate.io/spiffe-id'", equalTo("sha256-3xomkm7c7h2uqlaxlqhkih2ypzngfxep"))
                .body("peer.namespaceSelector.matchLabels.'kubernetes.io/metadata.name'", equalTo("payments"));
    }

    @Test
    void aViewerGetsAPolicyExplainedAgainstTheGuardrailsInForce() {
        given().auth().oauth2(token("platform-readers")).contentType("application/yaml").body(POLICY.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/explain")
                .then().statusCode(200)
                .body("exitCode", equalTo(1))
                .body(containsString("[api-ports (idgate-system/guardrails-api-test)] spec.ingress[0].ports: the rule allows every port"));
    }

    @Test
    void onlyAnAdminSeesTheGuardrails() {
        given().auth().oauth2(token("platform-readers")).get("/api/v1/guardrails").then().statusCode(403);
        given().auth().oauth2(token("platform-admins")).get("/api/v1/guardrails")
                .then().statusCode(200)
                .body("rules.name", hasItem("api-ports"))
                .body("configMaps.'idgate-system/guardrails-api-test'.valid", equalTo(true));
    }

    @Test
    void theAdmissionEndpointsAndMetricsIgnoreTheApiSecurity() throws Exception {
        given().auth().oauth2("not-a-jwt").contentType("application/json")
                .body(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("examples/reviews/mutate-pod.json")))
                .post("/mutate/pods").then().statusCode(200);
        management().get("/q/metrics").then().statusCode(200);
    }
}
