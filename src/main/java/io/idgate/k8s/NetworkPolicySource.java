package io.idgate.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;

/** The NetworkPolicies stored now, by namespace (the defaultDeny guardrail needs a namespace's others). */
public interface NetworkPolicySource {

    List<NetworkPolicy> inNamespace(String namespace);

    /** Every stored policy (the reachability world). */
    List<NetworkPolicy> all();

    boolean synced();
}
