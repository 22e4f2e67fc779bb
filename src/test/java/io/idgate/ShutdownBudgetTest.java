package io.idgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The Deployment's stop fits its grace period: preStop sleep + quarkus.shutdown.delay +
 * quarkus.shutdown.timeout (application.properties; the Deployment does not override them) must
 * end before the kubelet kills, or reviews in flight are cut after all.
 */
class ShutdownBudgetTest {

    @Test
    void preStopDelayAndTimeoutFitInTheGracePeriodWithRoomForTheJvm() throws Exception {
        JsonNode pod = new YAMLMapper().readTree(Path.of("k8s/base/deployment.yaml").toFile()).at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        JsonNode preStop = container.at("/lifecycle/preStop/exec/command");
        assertEquals("sleep", preStop.path(0).asText(), "an exec sleep preStop hook");
        long preStopSeconds = Long.parseLong(preStop.path(1).asText());
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            assertTrue(!name.startsWith("QUARKUS_SHUTDOWN_") && !name.startsWith("quarkus.shutdown."),
                    name + ": the Deployment overrides a shutdown setting; count it here instead of application.properties'");
        }
        long delay = seconds(properties.getProperty("quarkus.shutdown.delay"));
        long timeout = seconds(properties.getProperty("quarkus.shutdown.timeout"));
        long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
        assertTrue(delay > 0, "a shutdown delay is set");
        assertTrue(preStopSeconds + delay + timeout + 5 <= grace,
                "preStop " + preStopSeconds + " s + delay " + delay + " s + timeout " + timeout + " s + 5 s for the JVM > grace " + grace + " s");
    }

    /** A Quarkus duration in whole seconds ("5s", "10s"). */
    private static long seconds(String value) {
        assertTrue(value != null && value.matches("\\d+s"), "a duration in seconds: " + value);
        return Long.parseLong(value.substring(0, value.length() - 1));
    }
}
