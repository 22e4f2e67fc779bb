package io.idgate.admission;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only after {@link Warmup} has sent its reviews over the webhook port: the first review the
 * API server sends then costs what later ones do (docs/benchmarks.md, "First review").
 */
@Readiness
@ApplicationScoped
public class WarmupCheck implements HealthCheck {

    private final Warmup warmup;

    WarmupCheck(Warmup warmup) {
        this.warmup = warmup;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("idgate-warmup").status(warmup.done()).withData("webhook-port", warmup.done() ? "warmed" : "warming").build();
    }
}
