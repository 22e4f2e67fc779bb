package io.idgate.fuzz;

import static io.idgate.fuzz.AdmissionInvariants.require;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.ParseError;
import io.idgate.guardrails.ParseResult;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The guardrail parser on any text: it never throws; it gives a document, or errors that each name
 * a line within the text, a field path and a message without Java internals; and it takes bounded
 * time, aliases and nesting included.
 */
@ExtendWith(FuzzRuns.class)
class GuardrailParserFuzzTest {

    /**
     * Far above any real parse (milliseconds, even on a loaded machine), far below a blow-up: an
     * expanded alias bomb or a quadratic walk over a 4 KB input takes minutes.
     */
    private static final long MAX_MILLIS = 10_000;

    static {
        // class loading and the first compilations are not the input's fault
        GuardrailParser.parse("idgate-system", "warm-up", "rules.yaml", "rules: [{name: a, require: {ports: true}}]");
    }

    static Stream<Arguments> seeds() {
        List<Arguments> out = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(Path.of("src/test/resources/guardrails/design-example.yaml")));
        for (Path file : List.of(Path.of("examples/cluster/guardrails.yaml"), FuzzWorld.GUARDRAILS)) {
            for (Manifest m : ManifestReader.read(file)) {
                m.object().path("data").fields().forEachRemaining(e -> out.add(arguments(named(file + " " + e.getKey(),
                        e.getValue().asText().getBytes(StandardCharsets.UTF_8)))));
            }
        }
        Seeds.fixtureRequests("validate-guardrails").forEach(a -> {
            JsonNode review = AdmissionInvariants.read((byte[]) ((org.junit.jupiter.api.Named<?>) a.get()[0]).getPayload(), "seed");
            review.path("request").path("object").path("data").fields().forEachRemaining(e -> out.add(arguments(named(
                    ((org.junit.jupiter.api.Named<?>) a.get()[0]).getName() + " " + e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8)))));
        });
        files.stream().filter(Files::exists).forEach(f -> out.add(arguments(named(f.toString(), Seeds.read(f)))));
        return out.stream();
    }

    @MethodSource("seeds")
    @FuzzTest
    void guardrailParser(byte[] bytes) {
        FuzzRuns.count();
        check(bytes);
    }

    static void check(byte[] bytes) {
        String yaml = new String(bytes, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        ParseResult result = GuardrailParser.parse("idgate-system", "fuzz", "rules.yaml", yaml);
        long millis = (System.nanoTime() - start) / 1_000_000;
        require(millis < MAX_MILLIS, "parsing " + yaml.length() + " characters took " + millis + " ms");
        require(result != null, "no result");
        if (result instanceof ParseResult.Parsed parsed) {
            require(parsed.document() != null, "parsed without a document");
            return;
        }
        List<ParseError> errors = ((ParseResult.Invalid) result).errors();
        require(!errors.isEmpty(), "invalid without an error");
        long lines = yaml.lines().count() + 1;
        for (ParseError e : errors) {
            require(e.configMap().equals("idgate-system/fuzz") && e.key().equals("rules.yaml"), "error names another ConfigMap or key: " + e);
            require(e.line() >= 1 && e.line() <= lines, "error line " + e.line() + " is not a line of the " + (lines - 1) + "-line text: " + e);
            require(e.fieldPath() != null && !e.message().isBlank(), "error without a field path or message: " + e);
            AdmissionInvariants.noInternals(e.message(), yaml);
        }
    }
}
