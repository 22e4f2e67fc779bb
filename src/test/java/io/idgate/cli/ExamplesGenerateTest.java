package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generate example and its documentation stay true: the committed
 * {@code examples/generate/networkpolicies.yaml} is what {@code idgate generate} prints for the
 * committed intents (the CI recipe {@code idgate generate … | diff}), {@code -o json} holds the same
 * policies, and every {@code $ bin/idgate generate|reach} block of docs/generate.md and of the README's
 * section shows what the command prints now (stderr only when stdout goes to a file).
 */
class ExamplesGenerateTest {

    static final String INTENTS = "examples/generate/intents.yaml";
    static final String CLUSTER = "examples/generate/cluster";
    static final Path COMMITTED = Path.of("examples/generate/networkpolicies.yaml");

    @Test
    void theCommittedPoliciesAreWhatTheIntentsGenerate() throws IOException {
        CliRun run = CliRun.of("generate", INTENTS, CLUSTER);
        assertEquals(0, run.exit(), run.err());
        assertEquals(Files.readString(COMMITTED), run.out(), "regenerate: bin/idgate generate " + INTENTS + " " + CLUSTER + " > " + COMMITTED);
        assertTrue(run.err().startsWith("proof: reachability under the generated policies equals the intents"), run.err());
    }

    @Test
    void jsonIsOneListOfTheSamePolicies() throws IOException {
        CliRun yaml = CliRun.of("generate", INTENTS, CLUSTER);
        CliRun json = CliRun.of("generate", INTENTS, CLUSTER, "-o", "json");
        assertEquals(0, json.exit(), json.err());
        JsonNode list = new ObjectMapper().readTree(json.out());
        assertEquals("List", list.path("kind").asText());
        List<JsonNode> fromYaml = new ArrayList<>();
        var parser = new YAMLMapper().getFactory().createParser(yaml.out());
        new YAMLMapper().readValues(parser, JsonNode.class).forEachRemaining(fromYaml::add);
        List<JsonNode> fromJson = new ArrayList<>();
        list.path("items").forEach(fromJson::add);
        assertEquals(fromYaml, fromJson);
        assertEquals(2, CliRun.of("generate", INTENTS, CLUSTER, "-o", "xml").exit());
    }

    @Test
    void intentsInAGuardrailConfigMapAreReadFromTheInputs() {
        CliRun run = CliRun.of("generate", CLUSTER);
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("no intents: the inputs hold no guardrail ConfigMap with an intents: section"), run.err());
        CliRun missing = CliRun.of("generate", "examples/generate/no-such-file.yaml");
        assertEquals(2, missing.exit(), missing.err());
        assertTrue(missing.err().contains("no-such-file.yaml"), missing.err());
        assertTrue(!missing.err().contains("Exception"), missing.err());
    }

    @TestFactory
    Stream<DynamicTest> everyShownOutputIsWhatTheCommandPrintsNow() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        tests.addAll(outputTests("docs/generate.md", ReachReadmeTest.blocks(Files.readString(Path.of("docs/generate.md")))));
        tests.addAll(outputTests("README", ReachReadmeTest.blocks(ReachReadmeTest.readmeSection("## NetworkPolicies from intents"))));
        assertTrue(tests.size() >= 4, "the page and the README show generate and reach with their output: " + tests.size());
        return tests.stream();
    }

    private static List<DynamicTest> outputTests(String where, List<ReachReadmeTest.Block> blocks) {
        List<DynamicTest> tests = new ArrayList<>();
        for (ReachReadmeTest.Block b : blocks) {
            if (b.lines().isEmpty() || !(b.lines().get(0).startsWith("$ bin/idgate generate ") || b.lines().get(0).startsWith("$ bin/idgate reach "))) {
                continue;
            }
            String line = b.lines().get(0).substring("$ bin/idgate ".length());
            boolean toFile = line.contains(" > ");
            String command = line.replaceFirst("\\s*>.*$", "");
            String shown = String.join("\n", b.lines().subList(1, b.lines().size())) + "\n";
            tests.add(dynamicTest(where + ": " + command, () -> {
                CliRun run = CliRun.of(ReachReadmeTest.words(command));
                assertEquals(0, run.exit(), run.err());
                assertEquals(shown, toFile ? run.err() : run.out() + run.err(), where + " block `" + command + "` (paste the command's output there)");
            }));
        }
        return tests;
    }
}
