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
import io.idgate.admission.PodValidationHandler;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The documented examples stay true: every {@code examples/policies/denied/*.yaml} is refused by the
 * guardrails of {@code examples/cluster}, its {@code fixed/} namesake is admitted, and docs/guardrails.md
 * shows exactly what kubectl prints for each refusal and the commands over the documented directories;
 * the README shows the answer to the sample pod review, what the {@code jq} filters of "Try it" print
 * on the server's answers, and what each {@code $ bin/idgate check} it shows prints now.
 * {@code target/examples.md} gets the current kubectl text.
 */
class ExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path POLICIES = Path.of("examples/policies");
    private static final String WEBHOOK = "networkpolicies.validate.idgate.io";
    /** Where each requirement is shown refused and fixed. */
    private static final Path GUARDRAILS_DOC = Path.of("docs/guardrails.md");

    @TestFactory
    Stream<DynamicTest> examplePoliciesBehaveAsDocumented() throws Exception {
        List<Manifest> cluster = ManifestReader.read(Path.of("examples/cluster"));
        GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
        new GuardrailWatcher(guardrails, cluster, "idgate-system", "idgate.io/guardrails");
        assertTrue(guardrails.states().values().stream().allMatch(GuardrailConfigMaps.State::valid), guardrails.states().toString());
        var handler = new NetworkPolicyHandler(new NetworkPolicyJudge(guardrails::snapshot, new ManifestNetworkPolicySource(cluster), IdentityConfig.DEFAULTS), v -> {});
        var server = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()));
        String doc = Files.readString(GUARDRAILS_DOC);
        List<String> printed = new ArrayList<>();

        List<Path> files;
        try (Stream<Path> list = Files.walk(POLICIES)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(16, files.size(), "a refused and a fixed policy per requirement: " + files);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            Manifest policy = ManifestReader.read(file).get(0);
            var response = server.serve("validate-networkpolicies", handler, "application/json", review(policy))
                    .toCompletableFuture().join();
            JsonNode answer = JSON.readTree(response.body()).path("response");
            String kubectl = kubectlOutput(file, answer);
            printed.add("`kubectl apply -f " + file + "`\n```\n" + kubectl + "```\n");
            boolean denied = file.getParent().getFileName().toString().equals("denied");
            assertTrue(denied || file.getParent().getFileName().toString().equals("fixed"), file.toString());
            tests.add(dynamicTest(POLICIES.relativize(file).toString(), () -> {
                assertEquals(200, response.status());
                if (denied) {
                    assertFalse(answer.path("allowed").asBoolean(), "refused");
                    for (String line : answer.path("status").path("message").asText().split("\n")) {
                        assertTrue(doc.contains(line), GUARDRAILS_DOC + " shows: " + line + "\n(see target/examples.md)");
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

    /** Each refused example is refused by idgate check alone, as a user tries it first. */
    @TestFactory
    Stream<DynamicTest> eachDeniedExampleIsDeniedByCheckAlone() throws Exception {
        try (Stream<Path> list = Files.list(POLICIES.resolve("denied"))) {
            return list.sorted().toList().stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
                Run run = idgate("check", "-f", "examples/cluster", "-f", file.toString(), "-o", "json");
                assertEquals(1, run.exit(), run.err());
                for (JsonNode o : JSON.readTree(run.out()).path("objects")) {
                    if (o.path("source").asText().equals(file.toString())) {
                        assertEquals("denied", o.path("result").asText(), o.toString());
                    }
                }
            }));
        }
    }

    /**
     * The commands docs/guardrails.md shows over the example directories say what their names say: every refused
     * example denied (none passes because its fix sits in the same run: a default-deny in the inputs
     * counts as existing), every fixed one ok.
     */
    @org.junit.jupiter.api.Test
    void theDocumentedDirectoryCommandsDenyEveryDeniedExampleAndAdmitEveryFix() throws Exception {
        String doc = Files.readString(GUARDRAILS_DOC);
        for (String dir : List.of("denied", "fixed")) {
            String command = "bin/idgate check -f examples/cluster -f examples/policies/" + dir;
            assertTrue(doc.contains(command), GUARDRAILS_DOC + " documents: " + command);
            Run run = idgate(command.substring("bin/idgate ".length()).split(" "));
            assertEquals(dir.equals("denied") ? 1 : 0, run.exit(), run.err());
            List<String> results = new ArrayList<>();
            for (String line : run.out().lines().toList()) {
                if (line.contains(" examples/policies/")) {
                    results.add(line.substring(0, line.indexOf(' ')));
                    assertTrue(line.contains("examples/policies/" + dir + "/"), line);
                }
            }
            assertEquals(dir.equals("denied") ? 8 : 9, results.size(), run.out());
            assertTrue(results.stream().allMatch(r -> r.equals(dir.equals("denied") ? "denied" : "ok")), run.out());
        }
    }

    /**
     * "Try it": the jq filters the README and {@code make local-request} use, run on the server's real
     * answers to the validate reviews, print the refusal message the README shows (no {@code "patch":
     * null}, no jq error).
     */
    @org.junit.jupiter.api.Test
    void theTryItCommandsPrintTheDocumentedRefusals() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/jq")) || Files.isExecutable(Path.of("/usr/local/bin/jq")), "jq not installed");
        List<Manifest> cluster = ManifestReader.read(Path.of("examples/cluster"));
        GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
        new GuardrailWatcher(guardrails, cluster, "idgate-system", "idgate.io/guardrails");
        var identities = new PodIdentityResolver(new ManifestServiceAccountLookup(cluster), new IdentityDeriver(IdentityConfig.DEFAULTS),
                IdgateConfig.OnMissing.DENY, guardrails::snapshot, source -> {});
        var server = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()));
        byte[] pods = server.serve("validate-pods", new PodValidationHandler(identities), "application/json",
                Files.readAllBytes(Path.of("examples/reviews/mutate-pod.json"))).toCompletableFuture().join().body();
        var netpolHandler = new NetworkPolicyHandler(new NetworkPolicyJudge(guardrails::snapshot, new ManifestNetworkPolicySource(cluster),
                IdentityConfig.DEFAULTS), v -> {});
        byte[] netpol = server.serve("validate-networkpolicies", netpolHandler, "application/json",
                Files.readAllBytes(Path.of("examples/reviews/networkpolicy-by-app-label.json"))).toCompletableFuture().join().body();
        byte[] mutate = server.serve("mutate-pods", new PodMutationHandler(new PodMutationPreview(identities)), "application/json",
                Files.readAllBytes(Path.of("examples/reviews/mutate-pod.json"))).toCompletableFuture().join().body();

        String readme = Files.readString(Path.of("README.md"));
        String makefile = Files.readString(Path.of("Makefile"));
        Matcher m = Pattern.compile("(?m)^LOCAL_REQUEST_JQ = '(.*)'$").matcher(makefile);
        assertTrue(m.find(), "Makefile defines LOCAL_REQUEST_JQ");
        String makeFilter = m.group(1);
        String podsOut = jq("-r", ".response.status.message", pods);
        String netpolOut = jq("-r", makeFilter, netpol);
        Files.writeString(Path.of("target/try-it.txt"), podsOut + "\n" + netpolOut);
        assertTrue(readme.contains("| jq -r '.response.status.message'\n```\n```\n" + podsOut + "```\n"), "README shows:\n" + podsOut);
        assertTrue(readme.contains(".json\n```\n```\n" + netpolOut + "```\n"), "README shows:\n" + netpolOut);
        assertEquals(podsOut, jq("-r", makeFilter, pods), "make local-request prints the refusal too");
        // an allowed answer still has its patch decoded
        JsonNode decoded = JSON.readTree(jq("-r", makeFilter, mutate));
        assertTrue(decoded.path("response").path("patch").isArray(), decoded.toString());
    }

    /**
     * Every fenced block of the README that starts with {@code $ bin/idgate check ...} (the first
     * guardrail) shows exactly what that command prints now: stdout, then stderr, as a terminal shows
     * them.
     */
    @TestFactory
    Stream<DynamicTest> everyCheckTheReadmeShowsPrintsWhatItShows() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> block : fencedBlocks(Files.readString(Path.of("README.md")))) {
            if (block.isEmpty() || !block.get(0).startsWith("$ bin/idgate check ")) {
                continue;
            }
            String command = block.get(0).substring("$ bin/idgate ".length());
            String shown = String.join("\n", block.subList(1, block.size())) + "\n";
            tests.add(dynamicTest(command, () -> {
                Run run = idgate(command.split(" "));
                assertEquals(shown, run.out() + run.err(), "README block `" + command + "` (paste the command's output there)");
            }));
        }
        assertFalse(tests.isEmpty(), "the README shows the first guardrail checked");
        return tests.stream();
    }

    /** The lines of each fenced block of a Markdown text. */
    static List<List<String>> fencedBlocks(String markdown) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                if (current == null) {
                    current = new ArrayList<>();
                } else {
                    blocks.add(current);
                    current = null;
                }
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    private static String jq(String flag, String filter, byte[] input) throws Exception {
        Process p = new ProcessBuilder("jq", flag, filter).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(input);
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "jq " + filter + ": " + out);
        return out;
    }

    private record Run(int exit, String out, String err) {}

    private static Run idgate(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int exit = io.idgate.cli.Cli.run(args, new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), context -> {
                    throw new AssertionError("the examples need no cluster");
                });
        return new Run(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString(java.nio.charset.StandardCharsets.UTF_8));
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
