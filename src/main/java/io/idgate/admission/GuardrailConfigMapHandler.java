package io.idgate.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.GuardrailConfigMaps.ConfigMapData;
import io.idgate.guardrails.ParseError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        JsonNode dataNode = object.path("data");
        if (!dataNode.isMissingNode() && !dataNode.isNull() && !dataNode.isObject()) {
            throw new BadAdmissionReview("request.object.data must be a map of strings");
        }
        Map<String, String> data = new HashMap<>();
        dataNode.fields().forEachRemaining(e -> {
            // asText() would read a number as its digits and a mapping as "": a misleading parse error
            if (!e.getValue().isTextual() && !e.getValue().isNull()) {
                throw new BadAdmissionReview("request.object.data[" + e.getKey() + "] must be a string (the guardrail YAML as text; use a | block in the manifest)");
            }
            data.put(e.getKey(), e.getValue().asText(""));
        });
        var outcome = configMaps.check(new ConfigMapData(request.namespace(), request.displayName(),
                object.path("metadata").path("resourceVersion").asText(""), data));
        if (outcome.valid()) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed());
        }
        return CompletableFuture.completedFuture(AdmissionResponses.denied(outcome.errors().stream().map(ParseError::text).toList(), List.of()));
    }
}
