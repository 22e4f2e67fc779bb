package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.idgate.testing.FixtureFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code idgate generate} over the fixture suites under {@code src/test/resources/fixtures/generate/<sentence>/}:
 * {@code intents.yaml} (the intents file; absent when the intents are in a guardrail ConfigMap of
 * {@code inputs/}), {@code inputs/} (workloads, namespaces, ServiceAccounts, guardrails; optional),
 * {@code expected.yaml} (what is printed: the policies) and {@code expected-messages.txt} (what is said
 * on stderr, the case's folder left out of paths, then {@code exit <code>}). {@code -Dfixtures.update=true}
 * rewrites the expectations from what the command says; read the diff before committing.
 */
class GenerateFixturesTest {

    static final Path ROOT = Path.of("src/test/resources/fixtures/generate");

    @TestFactory
    Stream<DynamicTest> fixtures() throws IOException {
        return FixtureFolders.each(ROOT, GenerateFixturesTest::run);
    }

    static CliRun generate(Path dir, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("generate"));
        Path inputs = dir.resolve("inputs");
        if (Files.exists(dir.resolve("intents.yaml"))) {
            args.add(dir.resolve("intents.yaml").toString());
            if (Files.isDirectory(inputs)) {
                args.add(inputs.toString());
            }
        } else {
            try (Stream<Path> files = Files.list(inputs)) {
                files.sorted().forEach(f -> args.add(f.toString()));
            }
        }
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void run(Path dir) throws IOException {
        CliRun run = generate(dir);
        String messages = run.err().replace(dir + "/", "") + "exit " + run.exit() + "\n";
        if (!run.out().isEmpty() || Files.exists(dir.resolve("expected.yaml"))) { // nothing printed: no expected.yaml
            FixtureFolders.expect(dir.resolve("expected.yaml"), run.out());
        }
        FixtureFolders.expect(dir.resolve("expected-messages.txt"), messages);
        // deterministic: a second run prints the same bytes
        assertEquals(run.out(), generate(dir).out(), dir + ": a second run printed other bytes");
    }
}
