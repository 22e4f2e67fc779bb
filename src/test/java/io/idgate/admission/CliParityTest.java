package io.idgate.admission;

import io.idgate.engine.PodMutationPreview;
import io.idgate.engine.NetworkPolicyJudge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.Operation;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.idgate.engine.Finding;
import io.idgate.engine.Message;
import io.idgate.engine.ObjectReviewer;
import io.idgate.guardrails.Action;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The command line's engine ({@link ObjectReviewer}, what {@code idgate check} and {@code audit} run) and
 * the webhook reach the same decision with the same messages, fixture by fixture, over the worlds of
 * {@link AdmissionFixturesTest}. A fixture whose body the CLI could never receive (not an
 * AdmissionReview, a request of another kind) must be one the webhook refuses with HTTP 400.
 */
class CliParityTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TestFactory
    Stream<DynamicTest> networkPolicies() {
        return parity("validate-networkpolicies", 40);
    }

    @TestFactory
    Stream<DynamicTest> pods() {
        return parity("mutate-pods", 18);
    }

    private Stream<DynamicTest> parity(String suite, int atLeastCompared) {
        List<DynamicTest> tests = new ArrayList<>();
        int compared = 0;
        for (Fixtures.Case c : Fixtures.cases(suite).toList()) {
            var world = new AdmissionFixturesTest.World(c);
            var policies = new ManifestNetworkPolicySource(world.read("networkpolicies.yaml", null));
            var reviewer = ObjectReviewer.over(world.guardrails()::snapshot,
                    new ManifestServiceAccountLookup(world.read("serviceaccounts.yaml", Path.of("src/test/resources/manifests/serviceaccounts.yaml"))),
                    policies, world.deriver(),
                    OnMissing.valueOf(c.settings().getProperty("on-missing", "deny").toUpperCase(Locale.ROOT)), io.idgate.identity.IdentityTokens.NONE);
            AdmissionHandler handler = suite.equals("mutate-pods") ? new PodMutationHandler(new PodMutationPreview(world.identities()))
                    : new NetworkPolicyHandler(new NetworkPolicyJudge(world.guardrails()::snapshot, policies, world.deriver().config()), v -> {});
            var response = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()))
                    .serve(suite, handler, "application/json", c.request()).toCompletableFuture().join();
            JsonNode answer = readTree(response.body()).path("response");

            AdmissionRequest request = decodable(c);
            boolean comparable = request != null && (suite.equals("mutate-pods")
                    ? ofKind(request, "", "Pod") && request.operation() == AdmissionRequest.Operation.CREATE
                    : ofKind(request, "networking.k8s.io", "NetworkPolicy") && request.operation() != AdmissionRequest.Operation.CONNECT);
            if (!comparable) {
                boolean updateOfPod = request != null && ofKind(request, "", "Pod") && request.operation() != AdmissionRequest.Operation.CREATE;
                tests.add(dynamicTest(c.name() + " (not something the CLI reviews)", () -> {
                    if (updateOfPod) {
                        // the CLI previews creation only; the mutating webhook leaves other operations alone too
                        assertEquals(200, response.status());
                        assertTrue(answer.path("allowed").asBoolean() && answer.path("patch").isMissingNode(), answer.toString());
                    } else {
                        assertEquals(400, response.status(), "a body the CLI cannot receive must be a bad request: " + answer);
                    }
                }));
                continue;
            }
            compared++;
            tests.add(dynamicTest(c.name(), () -> {
                Finding finding;
                try {
                    finding = suite.equals("mutate-pods") ? reviewer.pod("Pod", request.namespace(), request.displayName(), request.object(), "review", 0)
                            : networkPolicy(reviewer, request);
                } catch (ManifestException | InvalidObject e) {
                    // unusable for the CLI (exit 2) must be unusable for the webhook (400), in the same words
                    assertEquals(400, response.status(), "CLI refused the input (" + e.getMessage() + "), webhook answered " + answer);
                    if (e instanceof InvalidObject) {
                        String cli = e.getMessage().replace("review (document 0): object", "request.object").replaceFirst("^object", "request.object");
                        String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
                        String quoted = com.fasterxml.jackson.databind.node.TextNode.valueOf(cli).toString();
                        assertTrue(body.contains(quoted.substring(1, quoted.length() - 1)), "webhook answered " + body + ", CLI said " + cli);
                    }
                    return;
                }
                assertEquals(200, response.status(), "webhook answered 400, CLI judged it: " + answer);
                assertEquals(answer.path("allowed").asBoolean(), finding.webhookAllows(), "decision");
                List<String> denial = answer.path("status").path("message").isMissingNode() ? List.of()
                        : Arrays.asList(answer.path("status").path("message").asText().split("\n"));
                List<String> warnings = new ArrayList<>();
                answer.path("warnings").forEach(w -> warnings.add(w.asText()));
                if (suite.equals("mutate-pods")) {
                    // a refusal (ServiceAccount not found) is a warning for the CLI: it may exist in the cluster
                    List<String> cliWarnings = finding.lines(Action.WARN);
                    List<String> expected = new ArrayList<>(denial);
                    expected.addAll(warnings);
                    assertEquals(expected, cliWarnings, "messages");
                    JsonNode patch = answer.path("patch").isTextual()
                            ? readTree(java.util.Base64.getDecoder().decode(answer.path("patch").asText())) : JSON.createArrayNode();
                    ObjectNode patched = applyPatch(request.object(), patch);
                    var keys = reviewer.deriver().keys();
                    assertEquals(keys.owned(stringMap(patched, "labels")), new TreeMap<>(finding.identity().labels()), "labels");
                    assertEquals(keys.owned(stringMap(patched, "annotations")), new TreeMap<>(finding.identity().annotations()), "annotations");
                } else {
                    assertEquals(denial, finding.lines(Action.DENY), "denial lines");
                    assertEquals(warnings, finding.lines(Action.WARN), "warnings");
                    Map<String, String> audits = new TreeMap<>();
                    answer.path("auditAnnotations").fields().forEachRemaining(e -> audits.put(e.getKey(), e.getValue().asText()));
                    assertEquals(audits, finding.messages().stream().filter(m -> m.severity() == Action.AUDIT)
                            .collect(Collectors.groupingBy(m -> m.violation().rule(), TreeMap::new,
                                    Collectors.mapping(Message::text, Collectors.joining("\n")))), "audit annotations");
                }
            }));
        }
        assertTrue(compared >= atLeastCompared, suite + ": only " + compared + " fixtures compared; the parity test lost its cases");
        return tests.stream();
    }

    private static Finding networkPolicy(ObjectReviewer reviewer, AdmissionRequest request) {
        Operation op = Operation.valueOf(request.operation().name());
        NetworkPolicy newPolicy = request.object() == null ? null : ManifestNetworkPolicySource.toNetworkPolicy(new Manifest("review", 0, request.object()));
        NetworkPolicy oldPolicy = request.oldObject() == null ? null : ManifestNetworkPolicySource.toNetworkPolicy(new Manifest("review", 0, request.oldObject()));
        if (op == Operation.DELETE ? oldPolicy == null : newPolicy == null) {
            throw new ManifestException("the " + op + " review has no policy to judge");
        }
        return reviewer.networkPolicy(op, newPolicy, oldPolicy, request.namespace(), "review", 0);
    }

    private static AdmissionRequest decodable(Fixtures.Case c) {
        try {
            return AdmissionReviewDecoder.decode(c.request());
        } catch (BadAdmissionReview e) {
            return null;
        }
    }

    private static boolean ofKind(AdmissionRequest request, String group, String kind) {
        return request.kind().group().equals(group) && request.kind().kind().equals(kind)
                && Stream.of(request.object(), request.oldObject()).allMatch(o -> o == null || o.path("kind").asText(kind).equals(kind));
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> stringMap(ObjectNode pod, String field) {
        Map<String, String> out = new TreeMap<>();
        pod.path("metadata").path(field).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** RFC 6902 add/replace/remove on object members: all the pod webhook emits. */
    private static ObjectNode applyPatch(ObjectNode object, JsonNode patch) {
        ObjectNode doc = object.deepCopy();
        for (JsonNode op : patch) {
            String[] tokens = op.path("path").asText().substring(1).split("/");
            ObjectNode parent = doc;
            for (int i = 0; i < tokens.length - 1; i++) {
                parent = (ObjectNode) parent.get(unescape(tokens[i]));
            }
            String last = unescape(tokens[tokens.length - 1]);
            switch (op.path("op").asText()) {
                case "add", "replace" -> parent.set(last, op.get("value"));
                case "remove" -> parent.remove(last);
                default -> throw new AssertionError("unexpected patch op " + op);
            }
        }
        return doc;
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }
}
