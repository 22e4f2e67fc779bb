package io.idgate.fuzz;

import io.idgate.engine.NetworkPolicyJudge;
import static io.idgate.fuzz.AdmissionInvariants.require;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.admission.NetworkPolicyHandler;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.MergeResult;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.ParseResult;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.idgate.k8s.NetworkPolicySource;
import io.idgate.engine.Finding;
import io.idgate.engine.Message;
import io.idgate.engine.ObjectReviewer;
import io.idgate.guardrails.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The webhook ({@code AdmissionServer} + {@link NetworkPolicyHandler}) and the command line
 * ({@link ObjectReviewer#networkPolicy}, what {@code idgate check} runs) judge the same NetworkPolicy under
 * the same guardrails alike: same decision, same denial lines, warnings and audit notes; and an input
 * one refuses as unreadable the other refuses too.
 *
 * <p>The input is one YAML (or JSON) document: {@code operation}, {@code namespace}, {@code policy},
 * {@code oldPolicy}, {@code existing} (the namespace's other policies) and {@code guardrails} (a
 * guardrail document; the fixtures' guardrails when absent).
 */
@ExtendWith(FuzzRuns.class)
class NetworkPolicyParityFuzzTest {

    private static final FuzzWorld WORLD = new FuzzWorld();
    private static volatile GuardrailSnapshot guardrails = WORLD.guardrails.snapshot();
    private static volatile NetworkPolicySource existing = new ManifestNetworkPolicySource(List.of());
    private static final NetworkPolicySource EXISTING = new NetworkPolicySource() {
        @Override
        public List<NetworkPolicy> inNamespace(String namespace) {
            return existing.inNamespace(namespace);
        }

        @Override
        public List<NetworkPolicy> all() {
            return existing.all();
        }

        @Override
        public boolean synced() {
            return true;
        }
    };
    private static final NetworkPolicyHandler WEBHOOK = new NetworkPolicyHandler(new NetworkPolicyJudge(() -> guardrails, EXISTING, WORLD.deriver.config()), v -> {});
    private static final ObjectReviewer CLI = ObjectReviewer.over(() -> guardrails,
            new ManifestServiceAccountLookup(ManifestReader.read(FuzzWorld.SERVICE_ACCOUNTS)), EXISTING, WORLD.deriver, OnMissing.DENY, io.idgate.identity.IdentityTokens.NONE);

    static Stream<Arguments> seeds() throws IOException {
        List<Arguments> out = new ArrayList<>();
        String example = ManifestReader.read(java.nio.file.Path.of("examples/cluster/guardrails.yaml")).get(0)
                .object().path("data").path("pci.yaml").asText();
        for (ObjectNode recipe : Seeds.recipes()) {
            for (String operation : List.of("CREATE", "DELETE")) {
                ObjectNode input = Seeds.YAML.createObjectNode().put("operation", operation).put("namespace", "multi-recipes");
                input.set(operation.equals("DELETE") ? "oldPolicy" : "policy", recipe);
                out.add(arguments(named("recipe " + recipe.path("metadata").path("name").asText() + " " + operation, yaml(input))));
                input.put("namespace", "pci-recipes").put("guardrails", example);
                out.add(arguments(named("recipe " + recipe.path("metadata").path("name").asText() + " " + operation + " example guardrails", yaml(input))));
            }
        }
        Seeds.fixtureRequests("validate-networkpolicies").forEach(a -> {
            var seed = (org.junit.jupiter.api.Named<?>) a.get()[0];
            JsonNode request = AdmissionInvariants.read((byte[]) seed.getPayload(), "seed").path("request");
            if (!request.isObject()) {
                return;
            }
            ObjectNode input = Seeds.YAML.createObjectNode().put("operation", request.path("operation").asText())
                    .put("namespace", request.path("namespace").asText());
            input.set("policy", request.get("object"));
            input.set("oldPolicy", request.get("oldObject"));
            var others = Seeds.FIXTURES.resolve("validate-networkpolicies").resolve(seed.getName().substring(seed.getName().indexOf('/') + 1))
                    .resolve("networkpolicies.yaml");
            if (Files.exists(others)) {
                input.set("existing", Seeds.YAML.valueToTree(ManifestReader.read(others).stream().map(Manifest::object).toList()));
            }
            out.add(arguments(named(seed.getName(), yaml(input))));
        });
        return out.stream();
    }

    @MethodSource("seeds")
    @FuzzTest
    void networkPolicyParity(byte[] bytes) {
        FuzzRuns.count();
        check(bytes);
    }

    private static boolean nonFiniteNumber(JsonNode node) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            return true;
        }
        for (JsonNode child : node) {
            if (nonFiniteNumber(child)) {
                return true;
            }
        }
        return false;
    }

    static void check(byte[] bytes) {
        JsonNode input;
        try {
            input = Seeds.YAML.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            return; // not a document: nothing to compare
        }
        if (input == null || !input.isObject() || !world(input)) {
            return;
        }
        String operation = input.path("operation").asText("CREATE");
        String namespace = input.path("namespace").asText("default");
        JsonNode policy = input.get("policy");
        JsonNode oldPolicy = input.get("oldPolicy");
        if (!List.of("CREATE", "UPDATE", "DELETE").contains(operation) || !object(policy) && !object(oldPolicy)
                || !manifest(policy) || !manifest(oldPolicy)) {
            return; // what the CLI never judges as a NetworkPolicy
        }
        byte[] body = AdmissionInvariants.write(Seeds.review(operation, namespace, object(policy) ? policy : null, object(oldPolicy) ? oldPolicy : null));
        if (nonFiniteNumber(input)) {
            // YAML's 1e999 reads as Infinity, which JSON cannot hold: the review written from it would carry the
            // string "Infinity" instead, a different input than the CLI read. No API server sends it.
            return;
        }
        if (nonAsciiKey(input)) {
            // Known, not idgate's: Jackson 2.21.1's byte parser refuses some valid 4-byte UTF-8
            // characters in field names ("Illegal surrogate character"), depending on their position.
            // Keys of pods, NetworkPolicies and ConfigMaps are ASCII, so no real review meets it.
            return;
        }
        var answer = WORLD.serve("validate-networkpolicies", WEBHOOK, body);
        AdmissionInvariants.check(body, answer);

        Finding finding;
        try {
            Operation op = Operation.valueOf(operation);
            NetworkPolicy newP = object(policy) ? ManifestNetworkPolicySource.toNetworkPolicy(new Manifest("fuzz", 1, policy)) : null;
            NetworkPolicy oldP = object(oldPolicy) ? ManifestNetworkPolicySource.toNetworkPolicy(new Manifest("fuzz", 1, oldPolicy)) : null;
            if (op == Operation.DELETE ? oldP == null : newP == null) {
                throw new ManifestException("no policy to judge");
            }
            finding = CLI.networkPolicy(op, newP, oldP, namespace, "fuzz", 1);
        } catch (ManifestException | io.idgate.k8s.InvalidObject e) {
            require(answer.status() == 400, "the CLI refused the input (" + e.getMessage() + "), the webhook answered " + new String(answer.body()));
            return;
        }
        require(answer.status() == 200, "the CLI judged the input, the webhook answered " + new String(answer.body()));
        JsonNode response = AdmissionInvariants.read(answer.body(), "answer").path("response");
        require(response.path("allowed").asBoolean() == finding.webhookAllows(), "decision differs: webhook " + response + ", CLI " + finding.messages());
        List<String> denial = response.path("status").path("message").isMissingNode() ? List.of()
                : Arrays.asList(response.path("status").path("message").asText().split("\n"));
        require(denial.equals(finding.lines(Action.DENY)), "denial lines differ: webhook " + denial + ", CLI " + finding.lines(Action.DENY));
        List<String> warnings = new ArrayList<>();
        response.path("warnings").forEach(w -> warnings.add(w.asText()));
        require(warnings.equals(finding.lines(Action.WARN)), "warnings differ: webhook " + warnings + ", CLI " + finding.lines(Action.WARN));
        Map<String, String> audits = new TreeMap<>();
        response.path("auditAnnotations").fields().forEachRemaining(e -> audits.put(e.getKey(), e.getValue().asText()));
        Map<String, String> cliAudits = finding.messages().stream().filter(m -> m.severity() == Action.AUDIT)
                .collect(Collectors.groupingBy(m -> m.violation().rule(), TreeMap::new, Collectors.mapping(Message::text, Collectors.joining("\n"))));
        require(audits.equals(cliAudits), "audit annotations differ: webhook " + audits + ", CLI " + cliAudits);
    }

    /** Sets the guardrails and existing policies of this input; false when they are not usable. */
    private static boolean world(JsonNode input) {
        GuardrailSnapshot snapshot = WORLD.guardrails.snapshot();
        if (input.hasNonNull("guardrails")) {
            if (!(GuardrailParser.parse("idgate-system", "fuzz", "rules.yaml", input.get("guardrails").asText())
                    instanceof ParseResult.Parsed parsed) || !parsed.document().issuers().isEmpty()) {
                return false; // refused guardrails never reach either path; issuers would fetch key sets
            }
            if (!(GuardrailSnapshot.merge(List.of(parsed.document())) instanceof MergeResult.Merged merged)) {
                return false;
            }
            snapshot = merged.snapshot();
        }
        List<Manifest> others = new ArrayList<>();
        input.path("existing").forEach(p -> others.add(new Manifest("existing", others.size() + 1, p)));
        try {
            existing = new ManifestNetworkPolicySource(others);
        } catch (RuntimeException e) { // ManifestException among others
            return false;
        }
        guardrails = snapshot;
        return true;
    }

    private static boolean nonAsciiKey(JsonNode node) {
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                if (e.getKey().chars().anyMatch(c -> c > 0x7f) || nonAsciiKey(e.getValue())) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (nonAsciiKey(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean object(JsonNode node) {
        return node != null && node.isObject();
    }

    /**
     * A NetworkPolicy as the CLI meets one in a file: it picks objects by {@code kind}, and a file's
     * objects have names (it refuses one without; the API server names them too).
     */
    private static boolean manifest(JsonNode node) {
        return !object(node) || "NetworkPolicy".equals(node.path("kind").asText()) && node.path("metadata").path("name").isTextual();
    }

    private static byte[] yaml(JsonNode node) {
        try {
            return Seeds.YAML.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
