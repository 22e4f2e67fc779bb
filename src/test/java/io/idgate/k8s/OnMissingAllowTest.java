package io.idgate.k8s;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.idgate.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** on-missing=allow in cluster mode: a pod whose ServiceAccount exists nowhere is admitted, unlabelled, with a warning. */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(OnMissingAllowTest.AllowProfile.class)
class OnMissingAllowTest {

    public static class AllowProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("idgate.cluster", "kubernetes", "idgate.service-account.on-missing", "allow");
        }
    }

    @BeforeEach
    void ready() throws InterruptedException {
        Management.awaitReady();
    }

    @Test
    void aMissingServiceAccountAdmitsThePodWithoutIdentityAndStripsForgedKeys() throws Exception {
        var response = given().contentType("application/json").body(ClusterModeTest.review("billing", "ghost"))
                .post("/mutate/pods")
                .then().statusCode(200)
                .body("response.allowed", equalTo(true))
                .body("response.warnings", hasItem(containsString("admitted without identity labels")))
                .extract().jsonPath();
        // the sample pod carries a forged idgate.io/service-account label: it is removed, nothing is added
        assertEquals("[{\"op\":\"remove\",\"path\":\"/metadata/labels/idgate.io~1service-account\"}]", ClusterModeTest.patchOf(response));
    }
}
