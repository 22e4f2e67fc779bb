package io.idgate.admission;

import static io.idgate.testing.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The HTTP plumbing of the admission endpoints, on the running application (standalone mode). */
@QuarkusTest
class AdmissionHttpTest {

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL url;

    private static byte[] sampleReview() throws Exception {
        return Files.readAllBytes(Path.of("examples/reviews/mutate-pod.json"));
    }

    @Test
    void aReviewIsAnsweredWithItsUidAndAPatch() throws Exception {
        given().contentType("application/json").body(sampleReview())
                .when().post("/mutate/pods")
                .then().statusCode(200)
                .contentType(containsString("application/json"))
                .body("apiVersion", equalTo("admission.k8s.io/v1"))
                .body("kind", equalTo("AdmissionReview"))
                .body("response.uid", equalTo("705ab4f5-6393-11e8-b7cc-42010a800002"))
                .body("response.allowed", equalTo(true))
                .body("response.patchType", equalTo("JSONPatch"))
                .body("response.patch", notNullValue())
                .body("response.warnings", hasItem(containsString("idgate.io/service-account")));
    }

    @Test
    void theValidatingEndpointAnswersToo() throws Exception {
        given().contentType("application/json").body(sampleReview())
                .when().post("/validate/pods")
                .then().statusCode(200)
                .body("response.uid", equalTo("705ab4f5-6393-11e8-b7cc-42010a800002"))
                .body("response.allowed", equalTo(false))
                .body("response.status.code", equalTo(403));
    }

    @Test
    void anEmptyBodyIsABadRequest() {
        given().contentType("application/json").body(new byte[0])
                .when().post("/mutate/pods")
                .then().statusCode(400)
                .body("kind", equalTo("Status"))
                .body("code", equalTo(400))
                .body("message", containsString("empty body"));
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequestWithoutJavaText() {
        given().contentType("application/json").body("{\"apiVersion\": ")
                .when().post("/validate/pods")
                .then().statusCode(400)
                .body("message", containsString("not valid JSON"))
                .body(org.hamcrest.Matchers.not(containsString("Exception")))
                .body(org.hamcrest.Matchers.not(containsString("com.fasterxml")));
    }

    @Test
    void aWrongContentTypeIsABadRequest() throws Exception {
        given().contentType("text/plain").body(sampleReview())
                .when().post("/mutate/pods")
                .then().statusCode(400)
                .body("message", containsString("application/json"));
    }

    @Test
    void aBodyOverThreeMebibytesIsABadRequestNamingTheLimit() {
        byte[] body = new byte[3 * 1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        given().contentType("application/json").body(body)
                .when().post("/mutate/pods")
                .then().statusCode(400)
                .body("message", containsString("over the limit of 3145728 bytes"));
    }

    @Test
    void aChunkedBodyOverTheLimitIsABadRequestToo() throws Exception {
        // no Content-Length: the size is only known while reading, so the route bounds it itself
        byte[] body = new byte[3 * 1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(url.toURI().resolve("/mutate/pods"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        org.junit.jupiter.api.Assertions.assertEquals(400, response.statusCode());
        org.hamcrest.MatcherAssert.assertThat(response.body(), containsString("over the limit of 3145728 bytes"));
    }

    @Test
    void aBodyJustUnderTheLimitIsDecoded() {
        byte[] body = new byte[3 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        given().contentType("application/json").body(body)
                .when().post("/mutate/pods")
                .then().statusCode(400)
                .body("message", containsString("kind is missing, expected AdmissionReview"));
    }

    @Test
    void aBadBearerTokenDoesNotTurnAdmissionInto401() throws Exception {
        given().contentType("application/json").header("Authorization", "Bearer not-a-jwt").body(sampleReview())
                .when().post("/mutate/pods")
                .then().statusCode(200);
    }

    @Test
    void readinessIsUpOnceTheCachesAreLoaded() {
        management().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("idgate-caches"));
    }

    @Test
    void healthAndMetricsAreNotServedOnTheWebhookPort() {
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void metricsCountDecisionsAndLookups() throws Exception {
        given().contentType("application/json").body(sampleReview()).post("/mutate/pods").then().statusCode(200);
        management().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("idgate_admission_requests_total{decision=\"patched\",operation=\"CREATE\",webhook=\"mutate-pods\"}"))
                .body(containsString("idgate_admission_duration_seconds_bucket{webhook=\"mutate-pods\""))
                .body(containsString("idgate_serviceaccount_lookups_total{source=\"cache\"}"));
    }
}
