package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line end to end, against golden files: {@code src/test/resources/cli/golden/<case>.out}
 * is stdout, {@code <case>.err} stderr (when not empty). {@code -Dgolden.update=true} (or
 * {@code -Dfixtures.update=true}) rewrites them from the actual output; read the diff. Exit codes are
 * in the table, not in the files, so a changed verdict shows up here even in update mode.
 */
class CliGoldenTest {

    static final Path GOLDEN = Path.of("src/test/resources/cli/golden");
    static final Path CORPUS = Path.of("..", "shared", "corpus", "netpol-recipes");
    private static final String INPUTS = "src/test/resources/cli/inputs/";
    private static final String GUARDRAILS = "examples/cluster/guardrails.yaml";

    static Stream<Arguments> cases() {
        return Stream.of(
                // the documented examples: eight refused policies, and their eight fixes admitted
                Arguments.of("examples-text", 1, new String[] {"check", "-f", "examples/cluster", "-f", "examples/policies/denied"}),
                Arguments.of("examples-json", 1, new String[] {"check", "-f", "examples/cluster", "-f", "examples/policies/denied", "-o", "json"}),
                Arguments.of("examples-junit", 1, new String[] {"check", "-f", "examples/cluster", "-f", "examples/policies/denied", "-o", "junit"}),
                Arguments.of("examples-fixed-text", 0, new String[] {"check", "-f", "examples/cluster", "-f", "examples/policies/fixed"}),
                // --guardrails-namespace that holds none: no guardrail applies, everything passes, with a warning
                Arguments.of("examples-other-guardrails-namespace", 0,
                        new String[] {"check", "-f", "examples/cluster", "-f", "examples/policies/denied", "--guardrails-namespace", "platform"}),
                // pod templates of every kind, a forged label, a ServiceAccount not in the inputs
                Arguments.of("workloads-text", 0, new String[] {"check", "-f", "examples/cluster", "-f", INPUTS + "workloads.yaml"}),
                Arguments.of("workloads-json", 0, new String[] {"check", "-f", "examples/cluster", "-f", INPUTS + "workloads.yaml", "-o", "json"}),
                Arguments.of("workloads-strict-junit", 1,
                        new String[] {"check", "-f", "examples/cluster", "-f", INPUTS + "workloads.yaml", "--strict", "-o", "junit"}),
                // unusable inputs: file, document and field named
                Arguments.of("broken-guardrails", 2, new String[] {"check", "-f", "examples/policies", "--guardrails", INPUTS + "broken-guardrails.yaml"}),
                Arguments.of("a-mistyped-command-is-one-line-with-the-nearest-command", 2, new String[] {"chek", "-f", "examples/policies"}),
                Arguments.of("an-unknown-option-is-one-line-not-the-whole-help", 2, new String[] {"check", "-f", "examples/policies", "--stirct"}),
                Arguments.of("documents-that-are-not-objects-are-skipped-with-a-note", 0,
                        new String[] {"check", "-f", INPUTS + "with-values-file"}),
                Arguments.of("bad-networkpolicy", 2, new String[] {"check", "-f", INPUTS + "bad-networkpolicy.yaml"}),
                Arguments.of("bad-labels-json", 2, new String[] {"check", "-f", INPUTS + "bad-labels.yaml", "-o", "json"}),
                Arguments.of("not-yaml-junit", 2, new String[] {"check", "-f", INPUTS + "not-yaml.yaml", "-o", "junit"}),
                Arguments.of("missing-file", 2, new String[] {"check", "-f", INPUTS + "no-such-file.yaml"}),
                Arguments.of("empty-directory", 2, new String[] {"check", "-f", "src/main/java/io/idgate/cli"}),
                Arguments.of("guardrails-file-of-another-kind", 2, new String[] {"check", "-f", "examples/policies",
                        "--guardrails", "examples/cluster/serviceaccounts.yaml"}),
                Arguments.of("unknown-output", 2, new String[] {"check", "-f", "examples/policies", "-o", "xml"}),
                Arguments.of("no-filename", 2, new String[] {"check"}),
                // labels
                Arguments.of("labels-aws-yaml", 0, new String[] {"labels", "--namespace", "payments", "--service-account", "ledger",
                        "--aws-role-arn", "arn:aws:iam::123456789012:role/payments-ledger", "--group", "payments"}),
                Arguments.of("labels-spiffe-json", 0, new String[] {"labels", "spiffe://prod.example.com/ns/frontend/sa/web",
                        "--azure-client-id", "11111111-2222-3333-4444-555555555555", "-o", "json"}),
                Arguments.of("labels-from-inputs-text", 0, new String[] {"labels", "-f", "examples/cluster", "-n", "payments",
                        "--service-account", "ledger", "-o", "text"}),
                Arguments.of("labels-custom-prefix", 0, new String[] {"labels", "-n", "a", "--service-account", "b", "--label-prefix", "id.example.com"}),
                Arguments.of("labels-bad-spiffe", 2, new String[] {"labels", "spiffe://cluster.local/payments/ledger"}),
                Arguments.of("labels-missing-service-account", 2, new String[] {"labels", "--namespace", "payments"}),
                Arguments.of("labels-bad-prefix", 2, new String[] {"labels", "-n", "a", "--service-account", "b", "--label-prefix", "a/b"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGolden(String name, int exit, String[] args) throws IOException {
        CliRun run = CliRun.of(args);
        golden(name, run);
        assertEquals(exit, run.exit(), name + " exit code; stderr:\n" + run.err());
    }

    static Stream<Arguments> corpusCases() {
        assumeTrue(Files.isDirectory(CORPUS), "corpus not found at " + CORPUS.toAbsolutePath() + "; skipping");
        String corpus = CORPUS.toString();
        return Stream.of(
                Arguments.of("corpus-text", 0, new String[] {"check", "-f", corpus, "-f", GUARDRAILS}),
                Arguments.of("corpus-json", 0, new String[] {"check", "-f", corpus, "-f", GUARDRAILS, "-o", "json"}),
                Arguments.of("corpus-junit", 0, new String[] {"check", "-f", corpus, "-f", GUARDRAILS, "-o", "junit"}),
                // warn and audit lines fail with --strict
                Arguments.of("corpus-strict-text", 1, new String[] {"check", "-f", corpus, "-f", GUARDRAILS, "--strict"}),
                // in a PCI namespace the deny rules apply: every recipe but the default-deny ones is refused
                Arguments.of("corpus-in-pci-namespace-text", 1, new String[] {"check", "-f", corpus, "-f", GUARDRAILS, "-n", "pci-corpus"}),
                Arguments.of("corpus-in-pci-namespace-junit", 1,
                        new String[] {"check", "-f", corpus, "-f", GUARDRAILS, "-n", "pci-corpus", "-o", "junit"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusCases")
    void corpusMatchesGolden(String name, int exit, String[] args) throws IOException {
        matchesGolden(name, exit, args);
    }

    @Test
    void stdinIsReadWithDash() throws IOException {
        String policy = Files.readString(Path.of("examples/policies/denied/01-identity-peers.yaml"));
        CliRun run = CliRun.withInput(policy, null, "check", "-f", "-", "--guardrails", GUARDRAILS);
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.out().startsWith("denied   NetworkPolicy pci-cards/cards-api  <stdin> (document 1)\n"), run.out());
    }

    @Test
    void commandsAreTellingApartFromServerArguments() {
        assertTrue(Cli.handles("check", "-f", "x"));
        assertTrue(Cli.handles("--version"));
        assertFalse(Cli.handles());
        assertFalse(Cli.handles("-Dquarkus.http.port=8080"));
        assertFalse(Cli.handles("serve"));
        assertTrue(Cli.handles("chek"), "a typo is a command that fails, not a server that starts");
    }

    @Test
    void versionComesFromTheBuild() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exit());
        assertTrue(run.out().matches("idgate \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n"), run.out());
    }

    static void golden(String name, CliRun run) throws IOException {
        check(GOLDEN.resolve(name + ".out"), run.out());
        check(GOLDEN.resolve(name + ".err"), run.err());
    }

    private static void check(Path file, String actual) throws IOException {
        boolean update = Boolean.getBoolean("golden.update") || Boolean.getBoolean("fixtures.update");
        if (update) {
            Files.createDirectories(file.getParent());
            if (actual.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                Files.writeString(file, actual);
            }
            return;
        }
        String expected = Files.exists(file) ? Files.readString(file) : "";
        assertEquals(expected, actual, file + " (rewrite with -Dgolden.update=true and read the diff)");
    }
}
