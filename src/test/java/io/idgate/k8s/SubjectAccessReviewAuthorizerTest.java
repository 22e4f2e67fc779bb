package io.idgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SubjectAccessReview idgate sends: the requester as authenticated, and {@code use} of one ServiceAccount. */
class SubjectAccessReviewAuthorizerTest {

    @Test
    void theReviewCarriesTheWholeRequesterAndAsksForUseOfTheNamedServiceAccount() {
        var spec = SubjectAccessReviewAuthorizer.review(new Requester("alice", "a1", List.of("dev"), Map.of("scopes", List.of("kube"))),
                "payments", "ledger").getSpec();
        assertEquals("alice", spec.getUser());
        assertEquals("a1", spec.getUid());
        assertEquals(List.of("dev"), spec.getGroups());
        assertEquals(Map.of("scopes", List.of("kube")), spec.getExtra());
        var attributes = spec.getResourceAttributes();
        assertEquals(List.of("", "serviceaccounts", "ledger", "payments", "use"),
                List.of(attributes.getGroup(), attributes.getResource(), attributes.getName(), attributes.getNamespace(), attributes.getVerb()));
    }

    @Test
    void aFullExecutorIsAFailedAnswerNotAThrow() {
        var executor = new java.util.concurrent.ThreadPoolExecutor(1, 1, 1, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>());
        executor.shutdown(); // rejects every task
        var answer = new SubjectAccessReviewAuthorizer(null, executor).mayUse(Requester.named("bob"), "payments", "ledger").toCompletableFuture();
        assertTrue(answer.isCompletedExceptionally());
    }

    @Test
    void anEmptyUidAndExtraAreLeftOut() {
        var spec = SubjectAccessReviewAuthorizer.review(Requester.named("bob"), "payments", "ledger").getSpec();
        assertNull(spec.getUid());
        assertEquals(Map.of(), spec.getExtra() == null ? Map.of() : spec.getExtra());
    }
}
