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
}
