package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code idgate check} and {@code idgate reach} read the same inputs the same way (one loader, design
 * section 7): over one directory they skip and name the same documents, read the same pod-making
 * objects, and refuse the same unusable input with the same lines. A CI job that runs both must not
 * hear two stories about one file.
 */
class CheckAndReachReadAlikeTest {

    private static final String MANIFESTS = "src/test/resources/cli/inputs/reach-and-check/manifests";

    /** A values file without kind, a List (ServiceAccount, Deployment, Service), a CronJob beside a plain ConfigMap. */
    @Test
    void bothSkipAndNameTheSameDocuments() {
        CliRun check = CliRun.of("check", "-f", MANIFESTS);
        CliRun reach = CliRun.of("reach", "list", MANIFESTS);
        assertEquals(0, check.exit(), check.err());
        assertEquals(0, reach.exit(), reach.err());
        // check also says which guardrails it loaded (none here, with a warning); the notes are what it skipped
        List<String> checkSkipped = check.err().lines().filter(l -> l.startsWith("note: ")).map(l -> l.replaceFirst("^note: ", "")).toList();
        List<String> reachSkipped = reach.err().lines().map(l -> l.replaceFirst("^warning: ", "")).toList();
        assertEquals(checkSkipped, reachSkipped);
        assertEquals(List.of(
                MANIFESTS + "/list.yaml (document 1): skipped Service shop/web (carries no pods or policies)",
                MANIFESTS + "/values.yaml (document 1): skipped, not a Kubernetes object (it has no kind)"),
                reachSkipped.stream().sorted().toList());
    }

    @Test
    void bothReadTheSamePodMakingObjects() {
        CliRun check = CliRun.of("check", "-f", MANIFESTS);
        CliRun reach = CliRun.of("reach", "list", MANIFESTS);
        for (String[] object : new String[][] {{"Deployment", "shop/web"}, {"CronJob", "shop/report"}}) {
            assertTrue(check.out().contains(object[0] + " " + object[1] + " "), check.out());
            assertTrue(reach.out().contains(object[1] + "[" + object[0] + "]"), reach.out());
        }
        // and the identity check stamps is the one reach matches: web admits the report job by ServiceAccount
        assertTrue(check.out().contains("idgate.io/service-account=report"), check.out());
        assertTrue(reach.out().contains("shop/report[CronJob] => shop/web[Deployment] : TCP 8080\n"), reach.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "reach/invalid-cidr.yaml",
            "reach/peer-mixing-ipblock-and-selectors.yaml",
            "reach/empty-peer.yaml",
            "reach/named-port-with-endport.yaml",
            "reach/bad-label-key.yaml",
            "reach/not-yaml.yaml",
            "reach/no-such-file.yaml",
            // a policy that does not bind, a template with a non-string label, a Deployment without template
            "bad-networkpolicy.yaml",
            "bad-labels.yaml"})
    void bothRefuseTheSameInputWithTheSameLines(String input) {
        String file = "src/test/resources/cli/inputs/" + input;
        CliRun check = CliRun.of("check", "-f", file);
        CliRun reach = CliRun.of("reach", "list", file);
        assertEquals(2, check.exit(), check.out() + check.err());
        assertEquals(2, reach.exit(), reach.out() + reach.err());
        List<String> checkErrors = check.err().lines().filter(l -> l.startsWith("error: ")).toList();
        List<String> reachErrors = reach.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertFalse(reachErrors.isEmpty());
        assertEquals(checkErrors, reachErrors);
        assertTrue(reachErrors.get(0).contains(file), reachErrors.get(0));
    }
}
