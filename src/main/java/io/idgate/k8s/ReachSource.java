package io.idgate.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Set;

/**
 * What the live reachability world is made of: pods (slim), namespaces (labels) and the stored
 * NetworkPolicies, with a version that changes whenever any of them changed in a way reach sees.
 */
public interface ReachSource {

    /** Changes after every change of a pod, namespace or policy that reachability depends on. */
    long version();

    /** Pods, workloads and Namespaces as objects {@code reach.WorldBuilder} reads. */
    List<ObjectNode> podsAndNamespaces();

    /** Every stored NetworkPolicy. */
    List<NetworkPolicy> networkPolicies();

    boolean synced();

    /**
     * The pods changed since the last call, for the one consumer that follows this source change by
     * change ({@code engine.LiveReach}); null when it cannot tell (a namespace changed, too many pods
     * changed to keep track, or the source never tells): the consumer then starts from scratch. A key is
     * recorded before {@link #version()} moves, so a consumer that reads the version first, then the
     * changes, misses none.
     */
    default Set<String> drainChangedPods() {
        return null;
    }

    /** The pod {@code key} ({@code namespace/name}) as {@link #podsAndNamespaces()} gives it; null when it is gone or not part of the world. */
    default ObjectNode pod(String key) {
        return null;
    }

    /** The Namespaces, as {@link #podsAndNamespaces()} gives them. */
    default List<ObjectNode> namespaces() {
        return podsAndNamespaces().stream().filter(o -> "Namespace".equals(o.path("kind").asText())).toList();
    }

    /** Every pod of the world, as {@link #podsAndNamespaces()} gives them. */
    default List<ObjectNode> pods() {
        return podsAndNamespaces().stream().filter(o -> "Pod".equals(o.path("kind").asText())).toList();
    }
}
