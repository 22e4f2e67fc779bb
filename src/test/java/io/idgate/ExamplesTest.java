package io.idgate;

import io.idgate.engine.PodMutationPreview;
import io.idgate.engine.NetworkPolicyJudge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.admission.AdmissionMetrics;
import io.idgate.admission.AdmissionServer;
import io.idgate.admission.NetworkPolicyHandler;
import io.idgate.engine.PodIdentityResolver;
import io.idgate.admission.PodMutationHandler;
import io.idgate.config.IdgateConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.identity.IdentityConfig;
import io.idgate.k8s.GuardrailWatcher;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The documented examples stay true: every {@code examples/policies/*-denied.yaml} is refused by the
 * guardrails of {@code examples/cluster}, its {@code *-fixed.yaml} is admitted, and the README shows
 * exactly what kubectl prints for each refusal, and the answer to the sample pod review.
 * {@code target/examples.md} gets the current kubectl text.
 */
class ExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path POLICIES = Path.of("examples/policies");
    private static final String WEBHOOK = "networkpolicies.validate.idgate.io";

    @TestFactory
    Stream<DynamicTest> examplePoliciesBehaveAsDocumented() throws Exception {
        List<Manifest> cluster = ManifestReader.read(Path.of("examples/cluster"));
        GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
        new GuardrailWatcher(guardrails, cluster, "idgate-system", "idgate.io/guardrails");
        assertTrue(guardrails.states().values().stream().allMatch(GuardrailConfigMaps.State::valid), guardrails.states().toString());
        var handler = new NetworkPolicyHandler(new NetworkPolicyJudge(guardrails::snapshot, new ManifestNetworkPolicySource(cluster), IdentityConfig.DEFAULTS), v -> {});
        var server = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()));
        String readme = Files.readString(Path.of("README.md"));
        List<String> printed = new ArrayList<>();

        List<Path> files;
        try (Stream<Path> list = Files.list(POLICIES)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            Manifest policy = ManifestReader.read(file).get(0);
            var response = server.serve("validate-networkpolicies", handler, "application/json", review(policy))
                    .toCompletableFuture().join();
            JsonNode answer = JSON.readTree(response.body()).path("response");
            String kubectl = kubectlOutput(file, answer);
            printed.add("`kubectl apply -f " + file + "`\n```\n" + kubectl + "```\n");
            boolean denied = file.getFileName().toString().endsWith("-denied.yaml");
            tests.add(dynamicTest(file.getFileName().toString(), () -> {
                assertEquals(200, response.status());
                if (denied) {
                    assertFalse(answer.path("allowed").asBoolean(), "refused");
                    for (String line : answer.path("status").path("message").asText().split("\n")) {
                        assertTrue(readme.contains(line), "README shows: " + line + "\n(see target/examples.md)");
                    }
                } else {
                    assertTrue(answer.path("allowed").asBoolean(), "admitted: " + answer);
                    assertTrue(answer.path("warnings").isMissingNode(), "no warnings: " + answer);
                }
            }));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/examples.md"), String.join("\n", printed));
        return tests.stream();
    }

    @org.junit.jupiter.api.Test
    void theReadmeShowsTheAnswerToTheSampleReview() throws Exception {
        List<Manifest> cluster = ManifestReader.read(Path.of("examples/cluster"));
        GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
        new GuardrailWatcher(guardrails, cluster, "idgate-system", "idgate.io/guardrails");
        var identities = new PodIdentityResolver(new ManifestServiceAccountLookup(cluster), new IdentityDeriver(IdentityConfig.DEFAULTS),
                IdgateConfig.OnMissing.DENY, guardrails::snapshot, source -> {});
        var server = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()));
        var response = server.serve("mutate-pods", new PodMutationHandler(new PodMutationPreview(identities)), "application/json",
                Files.readAllBytes(Path.of("examples/reviews/mutate-pod.json"))).toCompletableFuture().join();
        ObjectNode answer = (ObjectNode) JSON.readTree(response.body());
        ObjectNode inner = (ObjectNode) answer.get("response");
        inner.set("patch", JSON.readTree(java.util.Base64.getDecoder().decode(inner.get("patch").asText())));

        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```json\n", readme.indexOf("The answer (patch decoded):")) + "```json\n".length();
        JsonNode documented = JSON.readTree(readme.substring(start, readme.indexOf("```", start)));
        assertEquals(documented, answer, "README 'Try it' answer");
    }

    private static byte[] review(Manifest policy) throws Exception {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", "example").put("operation", "CREATE").put("namespace", policy.namespace()).put("name", policy.name());
        request.putObject("kind").put("group", "networking.k8s.io").put("version", "v1").put("kind", "NetworkPolicy");
        request.set("object", policy.object());
        return JSON.writeValueAsBytes(review);
    }

    /** What kubectl prints for this answer. */
    private static String kubectlOutput(Path file, JsonNode answer) {
        StringBuilder out = new StringBuilder();
        answer.path("warnings").forEach(w -> out.append("Warning: ").append(w.asText()).append('\n'));
        if (answer.path("allowed").asBoolean()) {
            out.append("networkpolicy.networking.k8s.io/").append(ManifestReader.read(file).get(0).name()).append(" created\n");
        } else {
            out.append("Error from server (Forbidden): error when creating \"").append(file).append("\": admission webhook \"")
                    .append(WEBHOOK).append("\" denied the request: ").append(answer.path("status").path("message").asText()).append('\n');
        }
        return out.toString();
    }
}
