package io.idgate.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.idgate.cli.Cli;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/reach} over the live world (standalone: the worked example of examples/reach): the
 * viewer role is required, and the answers are the command line's, byte for byte, for the same objects.
 */
@QuarkusTest
@TestProfile(ReachApiTest.ReachProfile.class)
class ReachApiTest {

    public static class ReachProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new QueryApiTest.ApiProfile().getConfigOverrides());
            config.put("idgate.manifests", "examples/reach");
            return config;
        }
    }

    private static String token(String... groups) {
        return Jwt.issuer(QueryApiTest.ISSUER).subject("alice").audience("idgate-api").groups(Set.of(groups)).expiresIn(300).sign();
    }

    private static String cli(String... args) {
        var out = new ByteArrayOutputStream();
        int exit = Cli.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), context -> {
                    throw new AssertionError("offline");
                });
        assertEquals(0, exit, String.join(" ", args));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutTheViewerRoleThereIsNoData() {
        given().get("/api/v1/reach").then().statusCode(401);
        given().auth().oauth2(token("someone-else")).get("/api/v1/reach").then().statusCode(403);
        given().auth().oauth2(token("someone-else")).contentType("application/yaml").body("{}".getBytes(StandardCharsets.UTF_8)).post("/api/v1/reach/diff").then().statusCode(403);
        given().auth().oauth2(token("someone-else")).get("/api/v1/reach/explain?src=a&dst=b").then().statusCode(403);
    }

    @Test
    void theGraphIsTheCommandLinesForTheSameObjects() {
        for (String by : new String[] {"workload", "identity", "group"}) {
            for (String output : new String[] {"txt", "json"}) {
                String api = given().auth().oauth2(token("platform-readers")).get("/api/v1/reach?by=" + by + "&output=" + output)
                        .then().statusCode(200).extract().asString();
                assertEquals(cli("reach", "list", "examples/reach", "--by", by, "-o", output), api, by + " " + output);
            }
        }
        String focused = given().auth().oauth2(token("platform-readers")).get("/api/v1/reach?by=identity&focus=shop-frontend/*&spoofable=true&output=txt")
                .then().statusCode(200).extract().asString();
        assertEquals(cli("reach", "list", "examples/reach", "--by", "identity", "--focus", "shop-frontend/*", "--spoofable"), focused);
        given().auth().oauth2(token("platform-readers")).get("/api/v1/reach?output=html").then().statusCode(200)
                .contentType(startsWith("text/html")).body(containsString("<svg"));
    }

    @Test
    void aWhatIfDiffShowsWhatAPolicyWouldOpenAndStoresNothing() {
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: what-if, namespace: payments}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress: [{from: [{namespaceSelector: {}}]}]
                """;
        String before = given().auth().oauth2(token("platform-readers")).get("/api/v1/reach?by=identity&output=txt").then().extract().asString();
        given().auth().oauth2(token("platform-readers")).contentType("application/yaml").body(policy.getBytes(StandardCharsets.UTF_8)).post("/api/v1/reach/diff?by=identity")
                .then().statusCode(200)
                .body("diff.added.size()", org.hamcrest.Matchers.greaterThan(0))
                .body("diff.added.dst", org.hamcrest.Matchers.everyItem(startsWith("payments/")))
                .body("diff.removed", hasSize(0))
                .body("invariants", hasSize(0));
        String after = given().auth().oauth2(token("platform-readers")).get("/api/v1/reach?by=identity&output=txt").then().extract().asString();
        assertEquals(before, after, "nothing stored");
        given().auth().oauth2(token("platform-readers")).contentType("application/yaml").body(("kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\n"
                + "metadata: {name: bad, namespace: shop}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: A}}]}]}\n").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/reach/diff").then().statusCode(400).body("message", containsString("cidr"));
    }

    @Test
    void explainNamesThePolicyAndRule() {
        String names = given().auth().oauth2(token("platform-readers")).get("/api/v1/reach?output=txt").then().extract().asString();
        String first = names.lines().filter(l -> !l.contains("[External]")).findFirst().orElseThrow();
        String src = first.substring(0, first.indexOf(" => "));
        String dst = first.substring(first.indexOf(" => ") + 4, first.indexOf(" : "));
        given().auth().oauth2(token("platform-readers")).queryParam("src", src).queryParam("dst", dst).get("/api/v1/reach/explain")
                .then().statusCode(200).body("src", equalTo(src)).body("dst", equalTo(dst));
        given().auth().oauth2(token("platform-readers")).queryParam("src", "nowhere/x").queryParam("dst", dst).get("/api/v1/reach/explain")
                .then().statusCode(400).body("message", containsString("no peer named nowhere/x"));
    }
}
