package io.idgate.k8s;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the ServiceAccount cache is complete: a replica that answered before would send
 * every pod to the bounded GET, or refuse it.
 */
@Readiness
@ApplicationScoped
public class CachesReadyCheck implements HealthCheck {

    private final ServiceAccountLookup serviceAccounts;

    CachesReadyCheck(ServiceAccountLookup serviceAccounts) {
        this.serviceAccounts = serviceAccounts;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("idgate-caches")
                .status(serviceAccounts.synced())
                .withData("serviceaccounts", serviceAccounts.synced() ? "synced" : "syncing")
                .build();
    }
}
