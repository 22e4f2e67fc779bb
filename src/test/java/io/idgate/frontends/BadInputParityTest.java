package io.idgate.frontends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.idgate.admission.AdmissionHandler;
import io.idgate.admission.AdmissionMetrics;
import io.idgate.admission.AdmissionServer;
import io.idgate.admission.GuardrailConfigMapHandler;
import io.idgate.admission.NetworkPolicyHandler;
import io.idgate.api.QueryResource;
import io.idgate.cli.Cli;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.engine.NetworkPolicyJudge;
import io.idgate.engine.ObjectReviewer;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.IdentityTokens;
import io.idgate.k8s.GuardrailWatcher;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad guardrail ConfigMap or NetworkPolicy gets the same words through all four ways in: the webhook,
 * {@code idgate check}, standalone mode (the manifests directory) and the query API. Walks every
 * refused case of the validate-guardrails and validate-networkpolicies fixtures whose object is one a
 * user could also put in a file. Only where the object is named differs: {@code request.object} in a
 * review, {@code <file> (document 1): object} in a file.
 */
class BadInputParityTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String NAMESPACE = "idgate-system";
    private static final String LABEL = "idgate.io/guardrails";
    private static final IdentityDeriver DERIVER = new IdentityDeriver(IdentityConfig.DEFAULTS);

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> aBadObjectGetsTheSameWordsEverywhere() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String suite : List.of("validate-guardrails", "validate-networkpolicies")) {
            try (Stream<Path> cases = Files.list(Path.of("src/test/resources/fixtures", suite))) {
                for (Path c : cases.sorted().toList()) {
                    Path request = c.resolve("request.json");
                    if (!Files.exists(request)) {
                        continue;
                    }
                    JsonNode review;
                    try {
                        review = JSON.readTree(request.toFile());
                    } catch (IOException e) {
                        continue; // not JSON: nothing a user could put in a file either
                    }
                    JsonNode object = review.path("request").path("object");
                    String kind = suite.equals("validate-guardrails") ? "ConfigMap" : "NetworkPolicy";
                    if (!object.isObject() || !kind.equals(object.path("kind").asText(kind))
                            || !kind.equals(review.path("request").path("kind").path("kind").asText())
                            || !"CREATE".equals(review.path("request").path("operation").asText())
                            || kind.equals("ConfigMap") && !"true".equals(object.path("metadata").path("labels").path(LABEL).asText())) {
                        continue;
                    }
                    List<String> webhook = webhook(suite, Files.readAllBytes(request));
                    if (webhook.isEmpty()) {
                        continue; // allowed: not bad input
                    }
                    tests.add(dynamicTest(suite + "/" + c.getFileName(), () -> {
                        Path file = dir.resolve(c.getFileName() + ".json");
                        Files.writeString(file, object.toString());
                        String where = file + " (document 1): ";
                        List<List<String>> others = kind.equals("ConfigMap")
                                ? List.of(check("--guardrails", file.toString()), standaloneConfigMap(file), queryApiGuardrails(file))
                                : List.of(check(file.toString()), standaloneNetworkPolicy(file), queryApiExplain(file));
                        List<String> names = List.of("idgate check", "standalone mode", "the query API");
                        for (int i = 0; i < others.size(); i++) {
                            List<String> said = others.get(i).stream()
                                    // the CLI names the policy before the words (as idgate reach does); the words are the same
                                    .map(line -> line.replaceFirst(java.util.regex.Pattern.quote(where) + "NetworkPolicy [^ :]+/[^ :]+: ", where))
                                    .map(line -> line.replace(where + "object", "request.object").replace(where, "")).toList();
                            for (String line : webhook) {
                                assertTrue(said.stream().anyMatch(s -> s.endsWith(line)),
                                        names.get(i) + " does not say \"" + line + "\"; it said " + said);
                            }
                        }
                    }));
                }
            }
        }
        assertTrue(tests.size() >= 10, "too few bad inputs found: " + tests.size());
        return tests.stream();
    }

    /** The webhook's problem lines: the 400's message, or the refusal's lines. Empty when allowed. */
    private static List<String> webhook(String suite, byte[] request) {
        AdmissionHandler handler = suite.equals("validate-guardrails")
                ? new GuardrailConfigMapHandler(new GuardrailConfigMaps(), NAMESPACE, LABEL)
                : new NetworkPolicyHandler(new NetworkPolicyJudge(new GuardrailConfigMaps()::snapshot,
                        new ManifestNetworkPolicySource(List.of()), IdentityConfig.DEFAULTS), v -> {});
        var answer = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()))
                .serve(suite, handler, "application/json", request).toCompletableFuture().join();
        JsonNode body = read(answer.body());
        if (answer.status() == 400) {
            return List.of(body.path("message").asText());
        }
        JsonNode response = body.path("response");
        return response.path("allowed").asBoolean() ? List.of() : List.of(response.path("status").path("message").asText().split("\n"));
    }

    private static List<String> check(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("check", "-o", "json"));
        if (args[0].equals("--guardrails")) {
            argv.addAll(List.of("-f", "examples/policies/fixed/01-identity-peers.yaml"));
        } else {
            argv.add("-f");
        }
        argv.addAll(List.of(args));
        int exit = Cli.run(argv.toArray(String[]::new), System.in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), context -> {
                    throw new AssertionError("check reads no cluster");
                });
        assertEquals(2, exit, "bad input is exit 2: " + argv + " " + out + err);
        List<String> errors = new ArrayList<>();
        read(out.toByteArray()).path("errors").forEach(e -> errors.add(e.asText()));
        return errors;
    }

    private static List<String> standaloneNetworkPolicy(Path file) {
        try {
            new ManifestNetworkPolicySource(ManifestReader.read(file));
            return List.of();
        } catch (InvalidObject e) {
            return List.of(e.getMessage());
        }
    }

    /** What standalone mode records (and the query API's guardrails page shows) for a guardrail ConfigMap. */
    private static GuardrailConfigMaps standalone(Path file) {
        var configMaps = new GuardrailConfigMaps();
        new GuardrailWatcher(configMaps, ManifestReader.read(file), NAMESPACE, LABEL);
        return configMaps;
    }

    private static List<String> standaloneConfigMap(Path file) {
        List<String> errors = new ArrayList<>();
        standalone(file).states().values().forEach(s -> s.errors().forEach(e -> errors.add(e.text())));
        return errors;
    }

    private static List<String> queryApiGuardrails(Path file) {
        var configMaps = standalone(file);
        var api = new QueryResource(DERIVER, configMaps, reviewer(configMaps));
        List<String> errors = new ArrayList<>();
        read(api.guardrails().getEntity().toString().getBytes(StandardCharsets.UTF_8)).path("configMaps")
                .forEach(state -> state.path("errors").forEach(e -> errors.add(e.asText())));
        return errors;
    }

    private static List<String> queryApiExplain(Path file) throws IOException {
        var configMaps = new GuardrailConfigMaps();
        var api = new QueryResource(DERIVER, configMaps, reviewer(configMaps));
        var response = api.explain(Files.readAllBytes(file));
        List<String> errors = new ArrayList<>();
        JsonNode body = read(response.getEntity().toString().getBytes(StandardCharsets.UTF_8));
        body.path("errors").forEach(e -> errors.add(e.asText().replace("request body (document 1): object", "request.object")));
        return errors;
    }

    private static ObjectReviewer reviewer(GuardrailConfigMaps configMaps) {
        return ObjectReviewer.over(configMaps::snapshot, new ManifestServiceAccountLookup(List.of()), new ManifestNetworkPolicySource(List.of()),
                DERIVER, OnMissing.DENY, IdentityTokens.NONE);
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
