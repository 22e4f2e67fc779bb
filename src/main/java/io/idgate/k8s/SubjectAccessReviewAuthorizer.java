package io.idgate.k8s;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@link ServiceAccountAuthorizer} as a SubjectAccessReview ({@code authorization.k8s.io/v1}, needs
 * {@code create subjectaccessreviews}): the API server answers with every authorizer it runs (RBAC,
 * webhooks), exactly as it would for the requester's own request. The blocking call runs on
 * {@code executor}, never on the event loop; the caller bounds how long it waits.
 */
public final class SubjectAccessReviewAuthorizer implements ServiceAccountAuthorizer {

    private final KubernetesClient client;
    private final ExecutorService executor;

    public SubjectAccessReviewAuthorizer(KubernetesClient client, ExecutorService executor) {
        this.client = client;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Boolean> mayUse(Requester requester, String namespace, String serviceAccount) {
        SubjectAccessReview review = review(requester, namespace, serviceAccount);
        try {
            return CompletableFuture.supplyAsync(() -> {
                SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
                return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
            }, executor);
        } catch (RejectedExecutionException e) {
            // every thread busy and the queue full: the API server is slow, so this is an unanswered question, not a bug
            return CompletableFuture.failedFuture(e);
        }
    }

    static SubjectAccessReview review(Requester requester, String namespace, String serviceAccount) {
        Map<String, List<String>> extra = new HashMap<>(requester.extra());
        return new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(requester.username())
                .withUid(requester.uid().isEmpty() ? null : requester.uid())
                .withGroups(requester.groups())
                .withExtra(extra.isEmpty() ? null : extra)
                .withNewResourceAttributes()
                .withGroup("")
                .withResource("serviceaccounts")
                .withName(serviceAccount)
                .withNamespace(namespace)
                .withVerb("use")
                .endResourceAttributes()
                .endSpec()
                .build();
    }
}
