package io.idgate.admission;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Refuses in-band while what a handler decides from has not been read from the API server yet (at
 * start, or while the API server is unreachable at start): judged against empty guardrails, a
 * NetworkPolicy that breaks a deny rule would be admitted, and a pod would get an identity without
 * its groups. Readiness is down meanwhile, so a cluster sends no reviews here unless every replica is
 * unready; then this answer is what {@code failurePolicy: Fail} would give.
 */
final class RefusedUntilLoaded implements AdmissionHandler {

    private final AdmissionHandler handler;
    private final BooleanSupplier loaded;
    private final String what;

    /** @param what what {@code loaded} waits for, as the refusal names it ("the guardrail ConfigMaps") */
    RefusedUntilLoaded(AdmissionHandler handler, BooleanSupplier loaded, String what) {
        this.handler = handler;
        this.loaded = loaded;
        this.what = what;
    }

    @Override
    public com.fasterxml.jackson.core.filter.TokenFilter objectFields() {
        return handler.objectFields();
    }

    @Override
    public CompletionStage<AdmissionResponse> handle(AdmissionRequest request) {
        if (loaded.getAsBoolean()) {
            return handler.handle(request);
        }
        return CompletableFuture.completedFuture(AdmissionResponses.errored(503, "idgate has not read " + what
                + " from the API server yet, so it cannot judge this request; retry when idgate is ready"));
    }
}
