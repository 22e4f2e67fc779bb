package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exit codes of design section 7: 0 fine, 1 a finding ({@code diff --fail-on-change} with
 * changes), 2 unusable input. Every refusal prints nothing on stdout and one {@code error:} line per
 * problem on stderr naming the file, the object and the field (golden {@code reach-error-*.err}),
 * never a stack trace or a Java class name: a CI log is read by people who never saw the source.
 */
class ReachExitCodesTest {

    private static final String INPUTS = "src/test/resources/cli/inputs/reach/";
    /** {@code at io.idgate...}, {@code java.lang.IllegalArgumentException}, {@code com.fasterxml...}: what a leak looks like. */
    private static final Pattern JAVA = Pattern.compile("\\bat [a-z]+\\.|Exception\\b|\\b(?:java|javax|io|com|org)\\.[a-z0-9]+\\.[A-Za-z]");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "list is fine                                | 0 | reach list examples/reach",
            "diff without --fail-on-change is fine       | 0 | reach diff examples/reach examples/reach-change",
            "diff --fail-on-change with changes fails    | 1 | reach diff examples/reach examples/reach-change --fail-on-change",
            "diff --fail-on-change without changes is 0  | 0 | reach diff examples/reach examples/reach --fail-on-change",
            "who with a known peer is fine               | 0 | reach who --to payments/api examples/reach",
            "explain with a known pair is fine           | 0 | reach explain shop-frontend/checkout payments/api examples/reach"})
    void exitCodes(String sentence, int exit, String args) {
        CliRun run = CliRun.of(args.split(" "));
        assertEquals(exit, run.exit(), sentence + "; stderr:\n" + run.err());
        assertEquals("", run.err(), sentence);
    }

    static Stream<Arguments> unusable() {
        return Stream.of(
                // name, args, what the error line must name (file, object, field)
                Arguments.of("a-missing-file", new String[] {"reach", "list", INPUTS + "no-such-file.yaml"},
                        new String[] {INPUTS + "no-such-file.yaml", "no such file"}),
                Arguments.of("yaml-that-does-not-parse", new String[] {"reach", "list", INPUTS + "not-yaml.yaml"},
                        new String[] {INPUTS + "not-yaml.yaml:5:", "not valid YAML: expected ',' or '}'"}),
                Arguments.of("an-invalid-cidr", new String[] {"reach", "list", INPUTS + "invalid-cidr.yaml"},
                        new String[] {INPUTS + "invalid-cidr.yaml", "NetworkPolicy shop/bad-cidr", "spec.ingress[0].from[0].ipBlock.cidr"}),
                Arguments.of("a-peer-mixing-ipblock-and-selectors", new String[] {"reach", "list", INPUTS + "peer-mixing-ipblock-and-selectors.yaml"},
                        new String[] {INPUTS + "peer-mixing-ipblock-and-selectors.yaml", "NetworkPolicy shop/mixed", "spec.ingress[0].from[0]"}),
                Arguments.of("an-empty-peer", new String[] {"reach", "list", INPUTS + "empty-peer.yaml"},
                        new String[] {INPUTS + "empty-peer.yaml", "NetworkPolicy shop/empty", "spec.ingress[0].from[0]"}),
                Arguments.of("a-named-port-with-endport", new String[] {"reach", "list", INPUTS + "named-port-with-endport.yaml"},
                        new String[] {INPUTS + "named-port-with-endport.yaml", "NetworkPolicy shop/named-endport", "spec.ingress[0].ports[0].endPort"}),
                Arguments.of("two-objects-with-one-kind-namespace-and-name", new String[] {"reach", "list", INPUTS + "same-name-twice.yaml"},
                        new String[] {INPUTS + "same-name-twice.yaml (document 2)", "NetworkPolicy shop/twice", "(document 1)"}),
                // the same problems reach diff meets on either side
                Arguments.of("diff-with-an-invalid-after", new String[] {"reach", "diff", "examples/reach", INPUTS + "invalid-cidr.yaml"},
                        new String[] {INPUTS + "invalid-cidr.yaml", "NetworkPolicy shop/bad-cidr", "spec.ingress[0].from[0].ipBlock.cidr"}),
                Arguments.of("an-unknown-output", new String[] {"reach", "list", "examples/reach", "-o", "xml"},
                        new String[] {"-o", "xml", "txt|json|csv|md|dot|svg|html"}),
                Arguments.of("explain-prints-txt-or-json-only", new String[] {"reach", "explain", "shop-frontend/checkout", "payments/api",
                        "examples/reach", "-o", "csv"}, new String[] {"-o", "txt or json"}),
                Arguments.of("an-unknown-source-in-explain", new String[] {"reach", "explain", "shop/nope", "payments/api", "examples/reach"},
                        new String[] {"shop/nope", "idgate reach list"}),
                Arguments.of("an-unknown-destination-in-explain", new String[] {"reach", "explain", "payments/api", "payments/nope", "examples/reach"},
                        new String[] {"payments/nope", "idgate reach list"}),
                Arguments.of("an-unknown-peer-in-who", new String[] {"reach", "who", "--to", "shop/nope", "examples/reach"},
                        new String[] {"shop/nope", "workload view"}),
                Arguments.of("a-workload-name-in-the-identity-view", new String[] {"reach", "who", "--from", "shop-frontend/storefront[Deployment]",
                        "examples/reach", "--by", "identity"}, new String[] {"storefront[Deployment]", "identity view"}),
                Arguments.of("a-bad-port-in-explain", new String[] {"reach", "explain", "shop-frontend/checkout", "payments/api", "--port",
                        "http", "examples/reach"}, new String[] {"--port http"}),
                Arguments.of("paths-and-cluster-together", new String[] {"reach", "list", "examples/reach", "--cluster"},
                        new String[] {"PATH", "--cluster"}),
                Arguments.of("diff-from-a-cluster", new String[] {"reach", "diff", "examples/reach", "examples/reach-change", "--cluster"},
                        new String[] {"--cluster"}),
                Arguments.of("neither-paths-nor-cluster", new String[] {"reach", "list"}, new String[] {"--cluster"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusable")
    void unusableInputIsExit2WithOneLineNamingWhatIsWrong(String name, String[] args, String[] named) throws IOException {
        CliRun run = CliRun.of(args);
        CliGoldenTest.golden("reach-error-" + name, run);
        assertEquals(2, run.exit(), name + "; stderr:\n" + run.err());
        assertEquals("", run.out(), "nothing on stdout when the input is unusable");
        String first = run.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
        for (String part : named) {
            assertTrue(first.contains(part), "the error names " + part + ": " + first);
        }
        assertTrue(run.err().endsWith("error: unusable input (1 problem); fix it and run again\n"), run.err());
        assertFalse(JAVA.matcher(run.err()).find(), "no stack trace or class name: " + run.err());
    }
}
