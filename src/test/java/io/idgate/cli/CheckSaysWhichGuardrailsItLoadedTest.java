package io.idgate.cli;

import static io.idgate.cli.ReportSchemas.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A CI gate that found no rules must not pass as a clean one: {@code idgate check} always says how
 * many guardrail ConfigMaps, rules and groups it loaded (stderr, and in JSON and SARIF), names every
 * ConfigMap that holds guardrails but was ignored with why and the fix, warns when none was loaded, and
 * fails with {@code --strict} then (exit 1, as for any other warning).
 */
class CheckSaysWhichGuardrailsItLoadedTest {

    private static final String INPUTS = "src/test/resources/cli/inputs/";
    private static final String DENIED = "examples/policies/denied/01-identity-peers.yaml";
    private static final String UNLABELLED = INPUTS + "a-guardrail-configmap-without-its-label";
    private static final String LABELLED_YES = INPUTS + "a-guardrail-configmap-labelled-yes-not-true";

    @Test
    void withGuardrailsTheSummaryNamesConfigMapsRulesAndGroups() {
        CliRun run = CliRun.of("check", "-f", "examples/cluster", "-f", DENIED);
        assertEquals(1, run.exit(), run.err());
        assertEquals("guardrails: 1 ConfigMap (idgate-system/guardrails-pci), 4 rules, 2 groups", run.err().lines().findFirst().orElse(""));
        assertFalse(run.err().contains("warning:"), run.err());
    }

    @Test
    void withoutGuardrailsEveryPolicyPassesButTheRunSaysSoAndStrictFailsIt() {
        CliRun run = CliRun.of("check", "-f", DENIED);
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("ok "), run.out());
        List<String> err = run.err().lines().toList();
        assertEquals("guardrails: 0 ConfigMaps, 0 rules, 0 groups", err.get(0));
        assertEquals("warning: no guardrails loaded (no ConfigMap labelled idgate.io/guardrails=true among the inputs), so no"
                + " NetworkPolicy can be denied; pass the guardrail ConfigMaps with -f or --guardrails", err.get(1));
        assertEquals(2, err.size(), run.err());

        CliRun strict = CliRun.of("check", "-f", DENIED, "--strict");
        assertEquals(1, strict.exit(), "--strict fails a run that loaded no guardrails: " + strict.err());
        assertTrue(strict.err().contains("warning: no guardrails loaded") && strict.err().contains("(--strict: this fails the run)"), strict.err());
        assertTrue(strict.out().endsWith("exit 1 (--strict: warnings and audit lines fail too)\n"), strict.out());
    }

    @Test
    void aGuardrailConfigMapWithoutItsLabelIsNamedWithTheFixAndAnAppConfigMapIsNot() {
        CliRun run = CliRun.of("check", "-f", UNLABELLED);
        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of(
                "guardrails: 0 ConfigMaps, 0 rules, 0 groups",
                "note: " + UNLABELLED + "/guardrails.yaml (document 1): ConfigMap idgate-system/guardrails-pci has no label"
                        + " idgate.io/guardrails=true; ignored, as the server ignores it (add the label, or pass the file with --guardrails)",
                "warning: no guardrails loaded (no ConfigMap labelled idgate.io/guardrails=true among the inputs), so no NetworkPolicy"
                        + " can be denied; pass the guardrail ConfigMaps with -f or --guardrails"),
                run.err().lines().toList());

        // the fix it names works: the same file as --guardrails is loaded, and the policy is denied
        CliRun fixed = CliRun.of("check", "-f", UNLABELLED + "/policy.yaml", "--guardrails", UNLABELLED + "/guardrails.yaml");
        assertEquals(1, fixed.exit(), fixed.err());
        assertTrue(fixed.err().startsWith("guardrails: 1 ConfigMap (idgate-system/guardrails-pci), 4 rules, 2 groups\n"), fixed.err());
    }

    @Test
    void aLabelThatIsNotTrueIsNamedWithItsValue() {
        CliRun run = CliRun.of("check", "-f", LABELLED_YES);
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("ConfigMap idgate-system/guardrails-pci has label idgate.io/guardrails=yes, not true; ignored"), run.err());
    }

    @Test
    void aGuardrailConfigMapOfAnotherNamespaceIsNamedWhenTheNamespaceIsGiven() {
        CliRun run = CliRun.of("check", "-f", "examples/cluster", "-f", DENIED, "--guardrails-namespace", "platform");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("guardrail ConfigMap idgate-system/guardrails-pci ignored: --guardrails-namespace is platform"), run.err());
        assertTrue(run.err().contains("warning: no guardrails loaded (no ConfigMap labelled idgate.io/guardrails=true in namespace platform"),
                run.err());
    }

    @Test
    void jsonCarriesTheSummaryTheWarningAndTheIgnoredConfigMap() throws Exception {
        JsonNode loaded = JSON.readTree(CliRun.of("check", "-f", "examples/cluster", "-f", DENIED, "-o", "json").out());
        assertEquals("[\"idgate-system/guardrails-pci\"]", loaded.path("guardrails").path("configMaps").toString());
        assertEquals(4, loaded.path("guardrails").path("rules").asInt());
        assertEquals(2, loaded.path("guardrails").path("groups").asInt());
        assertEquals(0, loaded.path("warnings").size());

        JsonNode none = JSON.readTree(CliRun.of("check", "-f", UNLABELLED, "-o", "json").out());
        assertEquals(0, none.path("guardrails").path("rules").asInt());
        assertEquals(0, none.path("guardrails").path("configMaps").size());
        assertTrue(none.path("warnings").path(0).asText().startsWith("no guardrails loaded"), none.toString());
        assertTrue(none.path("notes").path(0).asText().contains("has no label idgate.io/guardrails=true"), none.toString());
    }

    @Test
    void sarifCarriesTheSummaryAndTheWarningAndStaysValid() throws Exception {
        JsonNode none = JSON.readTree(CliRun.of("check", "-f", UNLABELLED, "--strict", "-o", "sarif").out());
        assertEquals(List.of(), ReportSchemas.errors(ReportSchemas.SARIF, none));
        JsonNode invocation = none.path("runs").path(0).path("invocations").path(0);
        assertEquals(0, invocation.path("properties").path("guardrails").path("rules").asInt());
        assertEquals(1, invocation.path("exitCode").asInt());
        assertTrue(StreamSupport.stream(invocation.path("toolExecutionNotifications").spliterator(), false)
                .anyMatch(n -> n.path("level").asText().equals("warning") && n.path("message").path("text").asText().startsWith("no guardrails")),
                invocation.toString());

        JsonNode loaded = JSON.readTree(CliRun.of("check", "-f", "examples/cluster", "-f", DENIED, "-o", "sarif").out());
        assertEquals(4, loaded.path("runs").path(0).path("invocations").path(0).path("properties").path("guardrails").path("rules").asInt());
    }

    @Test
    void strictJunitShowsTheWarningAsAFailedTest() {
        CliRun run = CliRun.of("check", "-f", DENIED, "--strict", "-o", "junit");
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.out().contains("<failure type=\"warning\" message=\"no guardrails loaded"), run.out());
    }
}
