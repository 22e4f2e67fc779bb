package io.idgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.MergeResult;
import io.idgate.guardrails.ParseResult;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.ServiceAccountAuthorizer;
import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link ServiceAccountUseCheck}: who is asked, when, what a refusal says, the cache and the fail-closed timeout. */
class ServiceAccountUseCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Requester ALICE = Requester.named("alice", "dev", "system:authenticated");

    /** Grants {@code use} of ServiceAccount "allowed" only; records every question. */
    private final List<String> asked = new ArrayList<>();
    private final ServiceAccountAuthorizer authorizer = (r, ns, sa) -> {
        asked.add(r.username() + " " + ns + "/" + sa);
        return CompletableFuture.completedFuture(sa.equals("allowed"));
    };
    private final AtomicLong now = new AtomicLong();

    private ServiceAccountUseCheck check(ServiceAccountAuthorizer authorizer) {
        var doc = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "g", "a.yaml", "serviceAccountUse: {namespaces: [\"payments-*\"]}\n"))
                .document();
        GuardrailSnapshot snapshot = ((MergeResult.Merged) GuardrailSnapshot.merge(List.of(doc))).snapshot();
        return new ServiceAccountUseCheck(() -> snapshot, authorizer, Duration.ofMillis(100), Duration.ofSeconds(10), 100, now::get);
    }

    private static ObjectNode pod(String serviceAccount) {
        ObjectNode pod = JSON.createObjectNode();
        pod.putObject("spec").put("serviceAccountName", serviceAccount);
        return pod;
    }

    private static ObjectNode deployment(String serviceAccount) {
        ObjectNode d = JSON.createObjectNode();
        d.putObject("spec").putObject("template").set("spec", pod(serviceAccount).get("spec"));
        return d;
    }

    private static ServiceAccountUseCheck.Decision decide(CompletionStage<ServiceAccountUseCheck.Decision> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void aRequesterWithUseIsAllowedAndOneWithoutIsRefusedWithTheRoleRule() {
        var check = check(authorizer);
        assertInstanceOf(ServiceAccountUseCheck.Allowed.class, decide(check.review("Pod", "payments-eu", pod("allowed"), null, ALICE)));
        var refused = assertInstanceOf(ServiceAccountUseCheck.Refused.class,
                decide(check.review("Deployment", "payments-eu", deployment("ledger"), null, ALICE)));
        assertEquals("[serviceAccountUse] spec.template.spec.serviceAccountName: \"alice\" (groups dev, system:authenticated) may not use"
                + " ServiceAccount payments-eu/ledger; grant it with a Role in namespace payments-eu bound to them, with the rule"
                + " - {apiGroups: [\"\"], resources: [serviceaccounts], resourceNames: [ledger], verbs: [use]}", refused.line());
        assertEquals(List.of("alice payments-eu/allowed", "alice payments-eu/ledger"), asked);
    }

    @Test
    void outsideTheNamespacesForExemptControllersAndForPodUpdatesNobodyIsAsked() {
        var check = check(authorizer);
        assertInstanceOf(ServiceAccountUseCheck.Allowed.class, decide(check.review("Pod", "shop", pod("ledger"), null, ALICE)));
        assertInstanceOf(ServiceAccountUseCheck.Allowed.class, decide(check.review("Pod", "payments-eu", pod("ledger"), null,
                Requester.named("system:serviceaccount:kube-system:replicaset-controller"))));
        assertInstanceOf(ServiceAccountUseCheck.Allowed.class, decide(check.review("Pod", "payments-eu", pod("ledger"), pod("ledger"), ALICE)));
        assertEquals(List.of(), asked);
    }

    @Test
    void anUpdateIsCheckedOnlyWhenTheServiceAccountChanges() {
        var check = check(authorizer);
        assertInstanceOf(ServiceAccountUseCheck.Allowed.class,
                decide(check.review("Deployment", "payments-eu", deployment("ledger"), deployment("ledger"), ALICE)));
        assertInstanceOf(ServiceAccountUseCheck.Refused.class,
                decide(check.review("Deployment", "payments-eu", deployment("ledger"), deployment("default"), ALICE)));
        assertEquals(List.of("alice payments-eu/ledger"), asked);
    }

    @Test
    void anAnswerIsCachedPerRequesterAndGroupsUntilItExpires() {
        var check = check(authorizer);
        for (int i = 0; i < 3; i++) {
            decide(check.review("Pod", "payments-eu", pod("ledger"), null, ALICE));
        }
        decide(check.review("Pod", "payments-eu", pod("ledger"), null, Requester.named("alice", "dev")));
        assertEquals(2, asked.size(), asked.toString());
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        decide(check.review("Pod", "payments-eu", pod("ledger"), null, ALICE));
        assertEquals(3, asked.size(), asked.toString());
    }

    @Test
    void anAuthorizerThatDoesNotAnswerInTimeIsUnansweredAndNotCached() {
        int[] calls = {0};
        var check = check((r, ns, sa) -> {
            calls[0]++;
            return new CompletableFuture<>();
        });
        for (int i = 0; i < 2; i++) {
            var unanswered = assertInstanceOf(ServiceAccountUseCheck.Unanswered.class,
                    decide(check.review("Pod", "payments-eu", pod("ledger"), null, ALICE)));
            assertTrue(unanswered.message().contains("(no answer within 100 ms); refused, since guardrail serviceAccountUse fails closed"),
                    unanswered.message());
        }
        assertEquals(2, calls[0]);
    }

    @Test
    void aWorkloadWithoutATemplateIsInvalid() {
        var e = assertThrows(InvalidObject.class, () -> check(authorizer).review("CronJob", "payments-eu", JSON.createObjectNode(), null, ALICE));
        assertEquals("object.spec.jobTemplate.spec.template is missing or not an object; a CronJob needs a pod template there", e.getMessage());
    }
}
