package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Peers carry the identity keys idgate's webhook stamps, not the ones a template writes: a policy that
 * admits {@code idgate.io/service-account: api} admits the workloads running as {@code api}, and a
 * template that forges that key gains nothing (the webhook replaces it at admission).
 */
class ReachIdentityLabelsTest {

    private static final String INPUT = "src/test/resources/cli/inputs/reach/forged-identity-key.yaml";

    @Test
    void aPeerSelectedByServiceAccountMatchesTheWorkloadsRunningAsIt() {
        CliRun run = CliRun.of("reach", "who", "--to", "shop/db", INPUT);
        assertEquals(0, run.exit(), run.err());
        assertEquals("shop/api[Deployment] => shop/db[Deployment] : All Connections\n", run.out());
    }

    @Test
    void aTemplateThatForgesAnIdentityKeyDoesNotGainTheEdge() {
        CliRun run = CliRun.of("reach", "list", INPUT);
        assertTrue(run.out().contains("shop/api[Deployment] => shop/db[Deployment]"), run.out());
        assertFalse(run.out().contains("shop/intruder[Deployment] => shop/db[Deployment]"), run.out());
    }

    @Test
    void groupKeysComeFromTheGuardrailsOfTheInputs() {
        CliRun run = CliRun.of("reach", "who", "--to", "pci-cards/cards-api", "examples/reach");
        assertEquals(0, run.exit(), run.err());
        assertEquals("payments/api[Deployment] => pci-cards/cards-api[Deployment] : TCP 8443\n", run.out());
    }
}
