package io.idgate.fuzz;

import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seed corpora built at test time, so the repository keeps no copies: the request of every fixture
 * case, and the real-world NetworkPolicies of {@code ../shared/corpus/netpol-recipes} (when present)
 * wrapped into AdmissionReviews. Jazzer replays them in regression mode and starts fuzzing from them.
 */
final class Seeds {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    static final Path RECIPES = Path.of("..", "shared", "corpus", "netpol-recipes");
    static final YAMLMapper YAML = new YAMLMapper();

    private Seeds() {}

    /** {@code request.json} of every case of the given fixture suites. */
    static Stream<Arguments> fixtureRequests(String... suites) {
        List<Arguments> out = new ArrayList<>();
        for (String suite : suites) {
            for (Path dir : list(FIXTURES.resolve(suite))) {
                Path request = dir.resolve("request.json");
                if (Files.isRegularFile(request)) {
                    out.add(arguments(named(suite + "/" + dir.getFileName(), read(request))));
                }
            }
        }
        return out.stream();
    }

    /** The recipes as NetworkPolicy objects (empty when the corpus is not next to the project). */
    static List<ObjectNode> recipes() {
        List<ObjectNode> out = new ArrayList<>();
        for (Path file : list(RECIPES)) {
            if (file.toString().endsWith(".yaml")) {
                try {
                    JsonNode node = YAML.readTree(file.toFile());
                    if (node instanceof ObjectNode policy && "NetworkPolicy".equals(policy.path("kind").asText())) {
                        out.add(policy);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    /** Each recipe as the CREATE review the API server would send, in a namespace several guardrail rules match. */
    static Stream<Arguments> recipeReviews() {
        return recipes().stream().map(policy -> arguments(named("recipe " + policy.path("metadata").path("name").asText(),
                AdmissionInvariants.write(review("CREATE", "multi-recipes", policy, null)))));
    }

    /** An AdmissionReview v1 for a NetworkPolicy. */
    static ObjectNode review(String operation, String namespace, JsonNode object, JsonNode oldObject) {
        var nodes = JsonNodeFactory.instance;
        ObjectNode review = nodes.objectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "fuzz-0000").put("operation", operation).put("namespace", namespace);
        request.putObject("kind").put("group", "networking.k8s.io").put("version", "v1").put("kind", "NetworkPolicy");
        request.putObject("resource").put("group", "networking.k8s.io").put("version", "v1").put("resource", "networkpolicies");
        JsonNode named = object != null ? object : oldObject;
        request.put("name", named == null ? "" : named.path("metadata").path("name").asText(""));
        if (object != null) {
            request.set("object", object);
        }
        if (oldObject != null) {
            request.set("oldObject", oldObject);
        }
        return review;
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        return new String(read(file), StandardCharsets.UTF_8);
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
