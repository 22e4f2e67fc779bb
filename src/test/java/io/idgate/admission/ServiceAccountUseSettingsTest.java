package io.idgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.config.IdgateConfig;
import io.idgate.engine.ServiceAccountUseCheck;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.k8s.ServiceAccountAuthorizer;
import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code idgate.service-account-use.*} read through the real {@link IdgateConfig} mapping into the
 * server's check ({@link AdmissionBeans}): each setting changes what the check does, and a bad value
 * stops the start naming the setting.
 */
class ServiceAccountUseSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Requester ALICE = Requester.named("alice", "system:authenticated");

    private final List<String> asked = new ArrayList<>();

    private static IdgateConfig config(Map<String, String> settings) {
        // "2s" and "96M" as Quarkus reads durations and memory sizes
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(IdgateConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withConverter(io.quarkus.runtime.configuration.MemorySize.class, 100, new io.quarkus.runtime.configuration.MemorySizeConverter())
                .withSources(new MapBackedConfigSource("test", settings, 500) {})
                .withDefaultValue("POD_NAMESPACE", "idgate-system").build();
        return config.getConfigMapping(IdgateConfig.class);
    }

    private static GuardrailConfigMaps guardrails() {
        var maps = new GuardrailConfigMaps();
        maps.apply(new GuardrailConfigMaps.ConfigMapData("idgate-system", "sa-use", "1",
                Map.of("sa-use.yaml", "serviceAccountUse: {namespaces: [payments]}\n")));
        return maps;
    }

    private ServiceAccountUseCheck check(Map<String, String> settings, ServiceAccountAuthorizer authorizer) {
        return new AdmissionBeans().serviceAccountUseCheck(config(settings), guardrails(), authorizer,
                new AdmissionMetrics(new SimpleMeterRegistry()));
    }

    private final ServiceAccountAuthorizer answering = (r, ns, sa) -> {
        asked.add(r.username() + " " + ns + "/" + sa);
        return CompletableFuture.completedFuture(true);
    };

    private static ObjectNode pod() {
        ObjectNode pod = JSON.createObjectNode();
        pod.putObject("spec").put("serviceAccountName", "ledger");
        return pod;
    }

    private static ServiceAccountUseCheck.Decision review(ServiceAccountUseCheck check) {
        return check.review("Pod", "payments", pod(), null, ALICE).toCompletableFuture().join();
    }

    @Test
    void theDefaultsAreTwoSecondsTenSecondsAndTenThousand() {
        var settings = config(Map.of()).serviceAccountUse();
        assertEquals(java.time.Duration.ofSeconds(2), settings.timeout());
        assertEquals(java.time.Duration.ofSeconds(10), settings.cacheTtl());
        assertEquals(10_000, settings.cacheSize());
        var check = check(Map.of(), answering);
        review(check);
        review(check);
        assertEquals(1, asked.size(), "the second answer came from the cache: " + asked);
    }

    @Test
    void theTimeoutIsTheSetting() {
        var check = check(Map.of("idgate.service-account-use.timeout", "150ms"), (r, ns, sa) -> new CompletableFuture<>());
        long t0 = System.nanoTime();
        var unanswered = assertInstanceOf(ServiceAccountUseCheck.Unanswered.class, review(check));
        assertTrue(unanswered.message().contains("(no answer within 150 ms)"), unanswered.message());
        assertTrue(System.nanoTime() - t0 < 1_500_000_000L, "not the 2 s default");
    }

    @Test
    void aZeroTtlOrSizeAsksEveryTime() {
        for (var setting : List.of(Map.of("idgate.service-account-use.cache-ttl", "0s"), Map.of("idgate.service-account-use.cache-size", "0"))) {
            asked.clear();
            var check = check(setting, answering);
            review(check);
            review(check);
            assertEquals(2, asked.size(), setting + ": " + asked);
        }
    }

    @Test
    void badValuesNameTheSettingAndTheFix() {
        assertEquals("idgate.service-account-use.timeout is 0ms; it must be positive and under the workloads webhook's timeoutSeconds (5s),"
                + " e.g. 2s", assertThrows(IllegalStateException.class,
                        () -> check(Map.of("idgate.service-account-use.timeout", "0s"), answering)).getMessage());
        assertEquals("idgate.service-account-use.cache-ttl is negative; give 0s (no cache) or a duration such as 10s",
                assertThrows(IllegalStateException.class, () -> check(Map.of("idgate.service-account-use.cache-ttl", "-1s"), answering)).getMessage());
        assertEquals("idgate.service-account-use.cache-size is -1; give 0 (no cache) or a positive number of answers, such as 10000",
                assertThrows(IllegalStateException.class, () -> check(Map.of("idgate.service-account-use.cache-size", "-1"), answering)).getMessage());
    }
}
