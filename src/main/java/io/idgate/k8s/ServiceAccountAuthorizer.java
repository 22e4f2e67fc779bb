package io.idgate.k8s;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Asks the API server's authorizer whether a requester may {@code use} a ServiceAccount (design section
 * 9). Implementations never block the caller; a stage that fails means the question went unanswered.
 */
public interface ServiceAccountAuthorizer {

    /** Completes with true when {@code requester} may {@code use} {@code serviceaccounts/<serviceAccount>} in {@code namespace}. */
    CompletionStage<Boolean> mayUse(Requester requester, String namespace, String serviceAccount);

    /**
     * Who sent an admission request, as {@code request.userInfo} names them. All four fields go into the
     * review: an authorizer may decide on groups or extra (scopes, a node's name), not only the username.
     */
    record Requester(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
        public Requester {
            username = username == null ? "" : username;
            uid = uid == null ? "" : uid;
            groups = List.copyOf(groups);
            extra = Map.copyOf(extra);
        }

        public static Requester named(String username, String... groups) {
            return new Requester(username, "", List.of(groups), Map.of());
        }
    }

    /** Standalone mode has no API server to ask, so every question goes unanswered (and the check refuses). */
    ServiceAccountAuthorizer NONE = (requester, namespace, serviceAccount) -> java.util.concurrent.CompletableFuture.failedFuture(
            new IllegalStateException("idgate runs without a cluster (idgate.cluster=none), so there is no API server to ask"));
}
