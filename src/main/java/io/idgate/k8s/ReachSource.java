package io.idgate.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;

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
}
