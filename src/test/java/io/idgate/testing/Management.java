package io.idgate.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** RestAssured aimed at the management port (health, metrics) of the application under @QuarkusTest. */
public final class Management {

    private Management() {}

    public static RequestSpecification management() {
        // Quarkus publishes the port it bound (test-port=0 picks a free one) under the test-port key.
        return given().port(ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class));
    }

    /**
     * Waits up to 15 s for readiness. In cluster mode the webhooks refuse reviews until the informers
     * have loaded the guardrails, so tests that send reviews wait for it first, as a cluster would.
     */
    public static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (management().get("/q/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready after 15 s: " + management().get("/q/health/ready").asString());
            }
            Thread.sleep(50);
        }
    }
}
