package io.idgate.k8s;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when every cache is complete: a replica that answered before would send every pod to
 * the bounded GET (or refuse it), and judge NetworkPolicies without the guardrails in force. A
 * guardrail ConfigMap that does not parse does not make idgate unready: its last valid version
 * stays in force, and metrics and logs say so. With the reachability preview on, the pod and
 * namespace caches count too: a preview over half a world would name edges that do not exist.
 */
@Readiness
@ApplicationScoped
public class CachesReadyCheck implements HealthCheck {

    private final ServiceAccountLookup serviceAccounts;
    private final NetworkPolicySource networkPolicies;
    private final GuardrailWatcher guardrails;
    private final ReachSource reach;

    CachesReadyCheck(ServiceAccountLookup serviceAccounts, NetworkPolicySource networkPolicies, GuardrailWatcher guardrails, ReachSource reach) {
        this.serviceAccounts = serviceAccounts;
        this.networkPolicies = networkPolicies;
        this.guardrails = guardrails;
        this.reach = reach;
    }

    @Override
    public HealthCheckResponse call() {
        boolean sa = serviceAccounts.synced();
        boolean np = networkPolicies.synced();
        boolean cm = guardrails.synced();
        boolean rs = reach.synced(); // pods and namespaces: the preview's world (always synced with the preview off)
        return HealthCheckResponse.named("idgate-caches")
                .status(sa && np && cm && rs)
                .withData("serviceaccounts", state(sa))
                .withData("networkpolicies", state(np))
                .withData("guardrails", state(cm))
                .withData("pods-and-namespaces", state(rs))
                .build();
    }

    private static String state(boolean synced) {
        return synced ? "synced" : "syncing";
    }
}
