package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code serviceAccountUse:} offline (design section 9): files cannot say who will apply them, so check
 * names, as information, each workload that runs as a ServiceAccount in a covered namespace, and only those.
 */
class CheckNamesServiceAccountUseTest {

    private static final String INPUT = "src/test/resources/cli/inputs/a-workload-in-a-namespace-service-account-use-covers";

    @Test
    void aWorkloadInACoveredNamespaceIsNamedAndOneElsewhereIsNot() {
        CliRun run = CliRun.of("check", "-f", INPUT);
        assertEquals(0, run.exit(), "information, not a finding: " + run.err());
        List<String> notes = run.err().lines().filter(l -> l.startsWith("note: ")).toList();
        assertEquals(List.of("note: " + INPUT + "/manifests.yaml (document 3): Deployment payments/ledger runs as ServiceAccount payments/ledger"
                + " in a namespace serviceAccountUse covers: whoever applies it must be allowed to use it"
                + " (kubectl auth can-i use serviceaccount/ledger -n payments --as <user>)"), notes);
    }
}
