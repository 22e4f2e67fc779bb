package io.idgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.ServiceAccountUseCheck;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.k8s.ServiceAccountAuthorizer;
import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code idgate_service_account_use_checks_total{result, cached}} and
 * {@code idgate_service_account_use_review_duration_seconds{outcome}}: each check that applies counted
 * once by how it ended, each question to the API server timed; checks that do not apply are not counted.
 */
class ServiceAccountUseMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong();

    private ServiceAccountUseCheck check(ServiceAccountAuthorizer authorizer) {
        var maps = new GuardrailConfigMaps();
        maps.apply(new GuardrailConfigMaps.ConfigMapData("idgate-system", "sa-use", "1",
                Map.of("sa-use.yaml", "serviceAccountUse: {namespaces: [payments]}\n")));
        return new ServiceAccountUseCheck(maps::snapshot, authorizer, Duration.ofMillis(100), Duration.ofSeconds(10), 100, now::get,
                new AdmissionMetrics(registry).serviceAccountUse());
    }

    private static ObjectNode pod(String serviceAccount) {
        ObjectNode pod = JSON.createObjectNode();
        pod.putObject("spec").put("serviceAccountName", serviceAccount);
        return pod;
    }

    private double checks(String result, boolean cached) {
        var counter = registry.find("idgate.service.account.use.checks").tags("result", result, "cached", String.valueOf(cached)).counter();
        return counter == null ? 0 : counter.count();
    }

    private long reviews(String outcome) {
        return registry.get("idgate.service.account.use.review.duration").tag("outcome", outcome).timer().count();
    }

    @Test
    void eachCheckIsCountedByResultAndCacheAndEachQuestionTimed() {
        var check = check((r, ns, sa) -> {
            now.addAndGet(Duration.ofMillis(3).toNanos()); // the API server takes 3 ms by the check's clock
            return CompletableFuture.completedFuture(sa.equals("allowed"));
        });
        Requester alice = Requester.named("alice");
        for (int i = 0; i < 3; i++) {
            check.review("Pod", "payments", pod("allowed"), null, alice).toCompletableFuture().join();
        }
        check.review("Pod", "payments", pod("ledger"), null, alice).toCompletableFuture().join();
        check.review("Pod", "payments", pod("ledger"), null, Requester.named("system:serviceaccount:kube-system:job-controller"))
                .toCompletableFuture().join();
        check.review("Pod", "shop", pod("ledger"), null, alice).toCompletableFuture().join(); // not covered: no check

        assertEquals(1, checks("allowed", false));
        assertEquals(2, checks("allowed", true));
        assertEquals(1, checks("refused", false));
        assertEquals(1, checks("exempt", false));
        assertEquals(0, checks("error", false));
        assertEquals(2, reviews("answered"), "cache hits ask nobody");
        assertEquals(6.0, registry.get("idgate.service.account.use.review.duration").tag("outcome", "answered").timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS), 0.001);
    }

    @Test
    void anUnansweredQuestionIsAnErrorAndTimedAsUnanswered() {
        var check = check((r, ns, sa) -> new CompletableFuture<>());
        var decision = check.review("Pod", "payments", pod("ledger"), null, Requester.named("alice")).toCompletableFuture().join();
        assertEquals(ServiceAccountUseCheck.Unanswered.class, decision.getClass());
        assertEquals(1, checks("error", false));
        assertEquals(1, reviews("unanswered"));
        assertEquals(0, reviews("answered"));
    }
}
