package io.idgate.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.ParseError;
import io.idgate.k8s.GuardrailConfigMapReader;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /validate/guardrails}: refuses a guardrail ConfigMap that would not parse, or that
 * conflicts with another one, at {@code kubectl apply} time, with the same errors the watcher logs.
 * (If one arrives anyway, the watcher keeps its last valid version.)
 */
public final class GuardrailConfigMapHandler implements AdmissionHandler {

    private final GuardrailConfigMaps configMaps;
    private final String namespace;
    private final String label;

    public GuardrailConfigMapHandler(GuardrailConfigMaps configMaps, String namespace, String label) {
        this.configMaps = configMaps;
        this.namespace = namespace;
        this.label = label;
    }

    @Override
    public CompletionStage<AdmissionResponse> handle(AdmissionRequest request) {
        var kind = request.kind();
        if (!kind.group().isEmpty() || !"ConfigMap".equals(kind.kind())) {
            throw new BadAdmissionReview("request.kind is " + kind + "; this endpoint only takes ConfigMaps (check the webhook's rules)");
        }
        if (request.operation() != AdmissionRequest.Operation.CREATE && request.operation() != AdmissionRequest.Operation.UPDATE) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed());
        }
        JsonNode object = PodObjects.requireObject(request);
        if (!"true".equals(object.path("metadata").path("labels").path(label).asText(""))) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed()); // not a guardrail ConfigMap
        }
        if (!namespace.equals(request.namespace())) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed(List.of("metadata.labels[" + label
                    + "]: idgate reads guardrails from namespace " + namespace + " only; this ConfigMap in " + request.namespace()
                    + " has no effect")));
        }
        var outcome = configMaps.check(GuardrailConfigMapReader.read(object, request.namespace(), request.displayName(), "request.object"));
        if (outcome.valid()) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed());
        }
        return CompletableFuture.completedFuture(AdmissionResponses.denied(outcome.errors().stream().map(ParseError::text).toList(), List.of()));
    }
}
