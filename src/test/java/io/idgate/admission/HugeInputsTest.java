package io.idgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.fuzz.FuzzWorld;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.ParseError;
import io.idgate.guardrails.ParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus too large to keep as fixture files (docs/security.md, "Input handling"): each
 * body is generated here, answered through {@link AdmissionServer} as on the server, and must get the
 * right answer in bounded time. The bound is generous (a loaded CI machine); real answers take
 * milliseconds, and what it guards against (a walk that is quadratic in peers, labels or rules, an
 * expanded alias bomb) takes minutes.
 */
class HugeInputsTest {

    private static final long BOUND_MILLIS = 30_000;
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final FuzzWorld WORLD = new FuzzWorld();
    private static final Path POD = Path.of("src/test/resources/fixtures/mutate-pods/plain-pod-gets-namespace-service-account-and-spiffe-id-labels/request.json");
    private static final Path POLICY = Path.of("src/test/resources/fixtures/validate-networkpolicies/identity-peers-peer-selecting-by-an-app-label-is-denied/request.json");
    private static final Path CONFIGMAP = Path.of("src/test/resources/fixtures/validate-guardrails/valid-guardrail-configmap-is-allowed/request.json");

    @Test
    void aBodyOfExactlyTheLimitIsReadAndOneByteMoreIsRefusedNamingTheLimit() throws IOException {
        byte[] review = Files.readAllBytes(POD);
        byte[] atLimit = Arrays.copyOf(review, AdmissionReviewDecoder.MAX_BODY_BYTES);
        Arrays.fill(atLimit, review.length, atLimit.length, (byte) ' '); // trailing whitespace is still one JSON document
        assertEquals(200, answer("mutate-pods", WORLD.mutatePods, atLimit).status());

        byte[] over = Arrays.copyOf(atLimit, AdmissionReviewDecoder.MAX_BODY_BYTES + 1);
        over[over.length - 1] = ' ';
        var answer = answer("mutate-pods", WORLD.mutatePods, over);
        assertEquals(400, answer.status());
        assertEquals("body of 3145729 bytes is over the limit of 3145728 bytes", message(answer));
    }

    @Test
    void aFieldNameOverTheReadersLimitIsRefusedNamingTheLimit() throws IOException {
        ObjectNode review = read(POD);
        ((ObjectNode) review.at("/request/object/spec")).put("x".repeat(50_001), "");
        var answer = answer("mutate-pods", WORLD.mutatePods, JSON.writeValueAsBytes(review));
        assertEquals(400, answer.status());
        assertTrue(message(answer).startsWith("body is over a limit") && message(answer).contains("a field name longer than 50000 characters"),
                message(answer));
    }

    @Test
    void tenThousandLevelsOfJsonNestingAreRefusedAtTheLimitWithoutReadingOn() {
        String body = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        var answer = answer("mutate-pods", WORLD.mutatePods, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, answer.status());
        assertTrue(message(answer).contains("JSON nested deeper than 100 levels"), message(answer));
    }

    @Test
    void aPodWithTenThousandLabelsKeepsThemAndStillHasItsForgedIdentityLabelReplaced() throws IOException {
        ObjectNode review = podWithLabels(10_000);
        var answer = answer("mutate-pods", WORLD.mutatePods, JSON.writeValueAsBytes(review));
        assertEquals(200, answer.status());
        JsonNode response = body(answer).path("response");
        JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        assertTrue(patch.toString().contains("{\"op\":\"replace\",\"path\":\"/metadata/labels/idgate.io~1service-account\",\"value\":\"api\"}"), patch.toString());
        patch.forEach(op -> assertFalse(op.path("path").asText().startsWith("/metadata/labels/label-"), "touched a label idgate does not own: " + op));
        assertTrue(response.path("warnings").toString().contains("idgate.io/service-account"), response.toString());
    }

    @Test
    void aPodWithTenThousandLabelsAndAForgedIdentityLabelIsRefusedByTheValidatingWebhook() throws IOException {
        var answer = answer("validate-pods", WORLD.validatePods, JSON.writeValueAsBytes(podWithLabels(10_000)));
        assertEquals(200, answer.status());
        JsonNode response = body(answer).path("response");
        assertFalse(response.path("allowed").asBoolean());
        assertTrue(response.path("status").path("message").asText().contains("metadata.labels[idgate.io/service-account]"), response.toString());
    }

    @Test
    void aNetworkPolicyWithTenThousandIdentityPeersIsAllowedAndOneAppLabelPeerAmongThemIsTheOnlyViolation() throws IOException {
        ObjectNode review = read(POLICY); // namespace ident-a: the identityPeers rule applies
        ArrayNode from = JSON.createArrayNode();
        for (int i = 0; i < 10_000; i++) {
            from.addObject().putObject("podSelector").putObject("matchLabels").put("idgate.io/service-account", "sa-" + i);
        }
        ((ObjectNode) review.at("/request/object/spec/ingress/0")).set("from", from);
        var allowed = answer("validate-networkpolicies", WORLD.validateNetworkPolicies, JSON.writeValueAsBytes(review));
        assertEquals(200, allowed.status());
        assertTrue(body(allowed).path("response").path("allowed").asBoolean(), body(allowed).toString());

        from.addObject().putObject("podSelector").putObject("matchLabels").put("app", "web");
        var denied = answer("validate-networkpolicies", WORLD.validateNetworkPolicies, JSON.writeValueAsBytes(review));
        JsonNode response = body(denied).path("response");
        assertFalse(response.path("allowed").asBoolean());
        List<String> lines = response.path("status").path("message").asText().lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("[identity-peers (idgate-system/guardrails-test)] spec.ingress[0].from[10000].podSelector:"), lines.get(0));
    }

    @Test
    void aGuardrailConfigMapWithTenThousandRulesIsCheckedAndADuplicateNameAtTheEndIsNamedWithItsLine() throws IOException {
        StringBuilder yaml = new StringBuilder("rules:\n");
        for (int i = 0; i < 10_000; i++) {
            yaml.append("  - name: rule-").append(i).append("\n    match: {namespaces: [\"team-").append(i).append("-*\"]}\n    require: {ports: true}\n");
        }
        ObjectNode review = read(CONFIGMAP);
        ObjectNode data = ((ObjectNode) review.at("/request/object")).putObject("data");
        data.put("many.yaml", yaml.toString());
        var answer = answer("validate-guardrails", WORLD.validateGuardrails, JSON.writeValueAsBytes(review));
        assertTrue(body(answer).path("response").path("allowed").asBoolean(), body(answer).toString());

        data.put("many.yaml", yaml + "  - name: rule-0\n    require: {ports: true}\n");
        JsonNode response = body(answer("validate-guardrails", WORLD.validateGuardrails, JSON.writeValueAsBytes(review))).path("response");
        assertFalse(response.path("allowed").asBoolean());
        assertTrue(response.path("status").path("message").asText().contains("line 30002: rules[10000].name: rule name \"rule-0\" is already used by rules[0] (line 2)"),
                response.toString());
    }

    @Test
    void aBillionLaughsAliasBombIsRefusedNamingTheAliasLimit() {
        // nine levels of nine: 9^9 (387 million) strings, from 72 aliases
        StringBuilder bomb = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 8; i++) {
            bomb.append("l").append(i).append(": &l").append(i).append(" [").append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (i - 1)))).append("]\n");
        }
        List<ParseError> errors = invalid(bomb.append("rules: *l8\n").toString());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().startsWith("more than 50 aliases (*name) of lists or mappings"), errors.toString());
    }

    @Test
    void anAliasBombUnderTheAliasLimitInAnIssuersKeySetIsNotExpanded() {
        // 45 aliases, 3 to a level: 3^15 (14 million) leaves if the key set were written out
        StringBuilder yaml = new StringBuilder("x0: &x0 [k, k, k]\n");
        for (int i = 1; i <= 15; i++) {
            yaml.append("x").append(i).append(": &x").append(i).append(" [*x").append(i - 1).append(", *x").append(i - 1).append(", *x").append(i - 1).append("]\n");
        }
        yaml.append("issuers:\n  - {name: corp, issuer: \"https://login.example.com/\", audience: idgate, jwks: {keys: *x15}}\n");
        List<ParseError> errors = invalid(yaml.toString());
        assertTrue(errors.stream().anyMatch(e -> e.fieldPath().equals("issuers[0].jwks") && e.message().startsWith("over 10000 values")), errors.toString());
    }

    @Test
    void yamlNestedTenThousandLevelsDeepIsRefusedNamingTheNestingLimit() {
        List<ParseError> errors = invalid("rules: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().startsWith("lists and mappings nested deeper than 50 levels"), errors.toString());
    }

    private static List<ParseError> invalid(String yaml) {
        ParseResult result = timed(() -> GuardrailParser.parse("idgate-system", "huge", "rules.yaml", yaml));
        assertTrue(result instanceof ParseResult.Invalid, "parsed: " + result);
        return ((ParseResult.Invalid) result).errors();
    }

    private static ObjectNode podWithLabels(int count) throws IOException {
        ObjectNode review = read(POD);
        ObjectNode labels = (ObjectNode) review.at("/request/object/metadata/labels");
        for (int i = 0; i < count; i++) {
            labels.put("label-" + i, "value-" + i);
        }
        labels.put("idgate.io/service-account", "admin");
        return review;
    }

    private static AdmissionServer.Answer answer(String webhook, AdmissionHandler handler, byte[] body) {
        return timed(() -> WORLD.serve(webhook, handler, body));
    }

    private static <T> T timed(Supplier<T> work) {
        long start = System.nanoTime();
        T result = work.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < BOUND_MILLIS, "took " + millis + " ms");
        return result;
    }

    private static ObjectNode read(Path file) throws IOException {
        return (ObjectNode) JSON.readTree(file.toFile());
    }

    private static JsonNode body(AdmissionServer.Answer answer) throws IOException {
        return JSON.readTree(answer.body());
    }

    private static String message(AdmissionServer.Answer answer) {
        try {
            return body(answer).path("message").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
