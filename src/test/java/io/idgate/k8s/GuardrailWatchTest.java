package io.idgate.k8s;

import static io.idgate.testing.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.idgate.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guardrail ConfigMaps edited on a (mock) cluster: a new rule applies within 2 seconds, a broken
 * edit keeps the last valid version in force, and the groups it defines label new pods.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ClusterModeTest.ClusterProfile.class)
class GuardrailWatchTest {

    private static final String NO_PORTS_POLICY = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"np-1",
             "kind":{"group":"networking.k8s.io","version":"v1","kind":"NetworkPolicy"},
             "resource":{"group":"networking.k8s.io","version":"v1","resource":"networkpolicies"},
             "namespace":"team-a","name":"allow-web","operation":"CREATE","userInfo":{"username":"dev"},
             "object":{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"allow-web","namespace":"team-a"},
              "spec":{"podSelector":{},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{"matchLabels":{"groups.idgate.io/web":"true"}}}]}]}}}}
            """;

    @Inject
    KubernetesClient client;

    private static ConfigMap guardrails(String yaml) {
        return new ConfigMapBuilder().withNewMetadata().withName("guardrails-team").withNamespace("idgate-system")
                .addToLabels("idgate.io/guardrails", "true").endMetadata()
                .withData(Map.of("team.yaml", yaml)).build();
    }

    private static JsonPath review() {
        return given().contentType("application/json").body(NO_PORTS_POLICY).post("/validate/networkpolicies")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Polls {@code review()} until {@code done} holds, for at most {@code millis}; returns the elapsed milliseconds. */
    private static long until(Predicate<JsonPath> done, long millis) throws InterruptedException {
        long start = System.nanoTime();
        while (!done.test(review())) {
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsed < millis, "not applied after " + elapsed + "ms");
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @BeforeEach
    void ready() throws InterruptedException {
        Management.awaitReady();
    }

    @Test
    void editsApplyQuicklyAndABrokenEditKeepsTheLastValidVersion() throws Exception {
        assertTrue(review().getBoolean("response.allowed"), "no guardrail yet");

        client.configMaps().inNamespace("idgate-system").resource(guardrails("""
                groups:
                  web:
                    members:
                      - serviceAccount: team-a/*
                rules:
                  - name: team-ports
                    match: {namespaces: ["team-*"]}
                    require: {ports: true}
                """)).create();
        long applied = until(r -> !r.getBoolean("response.allowed"), 2_000);
        assertTrue(review().getString("response.status.message").startsWith("[team-ports (idgate-system/guardrails-team)] spec.ingress[0].ports"));

        // the same snapshot labels pods: a ServiceAccount of team-a is in group web
        client.serviceAccounts().inNamespace("team-a").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("app").withNamespace("team-a").endMetadata().build()).create();
        String patch = ClusterModeTest.patchOf(given().contentType("application/json").body(ClusterModeTest.review("team-a", "app"))
                .post("/mutate/pods").then().statusCode(200).extract().jsonPath());
        assertTrue(patch.contains("{\"op\":\"add\",\"path\":\"/metadata/labels/groups.idgate.io~1web\",\"value\":\"true\"}"), patch);

        client.configMaps().inNamespace("idgate-system").resource(guardrails("rules:\n  - name: team-ports\n    requires: {ports: true}\n")).update();
        // the broken version is refused: the metric says so, and the rule stays in force
        long deadline = System.currentTimeMillis() + 2_000;
        while (!management().get("/q/metrics").asString().contains("idgate_guardrails_configmaps{state=\"invalid\"} 1.0")) {
            assertTrue(System.currentTimeMillis() < deadline, "broken edit not seen: " + management().get("/q/metrics").asString().lines().filter(l -> l.contains("guardrails_configmaps")).toList());
            Thread.sleep(20);
        }
        assertEquals(false, review().getBoolean("response.allowed"));

        client.configMaps().inNamespace("idgate-system").resource(guardrails("""
                rules:
                  - name: team-ports
                    action: warn
                    match: {namespaces: ["team-*"]}
                    require: {ports: true}
                """)).update();
        until(r -> r.getBoolean("response.allowed") && r.getList("response.warnings") != null, 2_000);
        management().get("/q/metrics").then().body(containsString("idgate_guardrails_configmaps{state=\"valid\"} 1.0"));
        System.out.printf("guardrail ConfigMap applied %d ms after create%n", applied);
    }
}
