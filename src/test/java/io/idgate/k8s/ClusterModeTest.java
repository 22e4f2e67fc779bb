package io.idgate.k8s;

import static io.idgate.testing.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.idgate.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application in cluster mode against the fabric8 mock API server: the informer fills the cache,
 * readiness follows it, a cache miss goes to the API server, and on-missing=deny refuses.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ClusterModeTest.ClusterProfile.class)
class ClusterModeTest {

    public static class ClusterProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("idgate.cluster", "kubernetes", "idgate.service-account.on-missing", "deny");
        }
    }

    @Inject
    KubernetesClient client;

    static String review(String namespace, String serviceAccount) throws Exception {
        return Files.readString(Path.of("examples/reviews/mutate-pod.json"))
                .replace("\"namespace\": \"payments\"", "\"namespace\": \"" + namespace + "\"")
                .replace("\"serviceAccountName\": \"ledger\"", "\"serviceAccountName\": \"" + serviceAccount + "\"");
    }

    static String patchOf(JsonPath response) {
        String patch = response.getString("response.patch");
        return patch == null ? "" : new String(Base64.getDecoder().decode(patch), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void ready() throws InterruptedException {
        Management.awaitReady();
    }

    @Test
    void readinessIsUpOnceTheInformerHasSynced() {
        management().get("/q/health/ready").then().statusCode(200).body("checks.find { it.name == 'idgate-caches' }.data.serviceaccounts", equalTo("synced"));
    }

    @Test
    void aServiceAccountCreatedInTheClusterLabelsItsPods() throws Exception {
        client.serviceAccounts().inNamespace("billing").resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("invoicer").withNamespace("billing")
                .addToAnnotations("iam.gke.io/gcp-service-account", "invoicer@billing.iam.gserviceaccount.com").endMetadata()
                .build()).create();
        String patch = patchOf(given().contentType("application/json").body(review("billing", "invoicer"))
                .post("/mutate/pods").then().statusCode(200).body("response.allowed", equalTo(true)).extract().jsonPath());
        assertTrue(patch.contains("\"/metadata/labels/idgate.io~1gcp-service-account\""), patch);
        assertTrue(patch.contains("serviceaccount/billing/invoicer@"), "derived-from carries the resourceVersion: " + patch);
    }

    @Test
    void aServiceAccountThatExistsNowhereIsRefusedByName() throws Exception {
        given().contentType("application/json").body(review("billing", "ghost"))
                .post("/mutate/pods")
                .then().statusCode(200)
                .body("response.allowed", equalTo(false))
                .body("response.status.code", equalTo(403))
                .body("response.status.message", containsString("ServiceAccount \"billing/ghost\" cannot be read (it does not exist)"))
                .body("response.status.message", containsString("kubectl -n billing create serviceaccount ghost"));
        management().get("/q/metrics").then().body(containsString("idgate_serviceaccount_lookups_total{source=\"missing\"}"));
    }
}
