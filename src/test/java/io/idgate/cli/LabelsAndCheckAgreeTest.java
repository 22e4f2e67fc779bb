package io.idgate.cli;

import static io.idgate.cli.ReportSchemas.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code idgate labels} and {@code idgate check} tell one story about an identity: the same guardrail
 * groups from the same files (one loader), and the same peer to paste (one peer shape).
 */
class LabelsAndCheckAgreeTest {

    private static final String POD = "src/test/resources/cli/inputs/a-pod-running-as-payments-ledger";

    @Test
    void labelsReadsTheGroupsOfTheGuardrailsAmongItsInputsAsCheckDoes() throws Exception {
        CliRun labels = CliRun.of("labels", "-f", "examples/cluster", "-n", "payments", "--service-account", "ledger", "-o", "json");
        assertEquals(0, labels.exit(), labels.err());
        assertEquals("guardrails: 1 ConfigMap (idgate-system/guardrails-pci), 4 rules, 2 groups\n", labels.err());
        JsonNode fromLabels = JSON.readTree(labels.out()).path("labels");
        assertEquals("true", fromLabels.path("groups.idgate.io/payments").asText(), fromLabels.toString());
        // the ServiceAccount's annotation came from the inputs too
        assertEquals("sha256-ljdjmwizmuveqxnwv7uihdr2oz4esbb4", fromLabels.path("idgate.io/aws-role-arn").asText(), fromLabels.toString());

        CliRun check = CliRun.of("check", "-f", "examples/cluster", "-f", POD, "-o", "json");
        assertEquals(0, check.exit(), check.err());
        JsonNode pod = null;
        for (JsonNode o : JSON.readTree(check.out()).path("objects")) {
            if (o.path("kind").asText().equals("Pod")) {
                pod = o;
            }
        }
        assertEquals(fromLabels, pod.path("labels"), "the labels idgate check stamps on a pod of payments/ledger");

        // without inputs, only what the options say: no group
        CliRun bare = CliRun.of("labels", "-n", "payments", "--service-account", "ledger", "-o", "json");
        assertFalse(JSON.readTree(bare.out()).path("labels").has("groups.idgate.io/payments"), bare.out());
    }

    @Test
    void labelsTakesTextOutputAsTheReadmeSays() {
        CliRun run = CliRun.of("labels", "-n", "frontend", "--service-account", "web", "-o", "text");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("ServiceAccount frontend/web\n  labels:\n"), run.out());
        assertTrue(run.out().contains("    idgate.io/service-account=web\n"), run.out());
    }

    @Test
    void labelsAndCheckSuggestTheSamePeerForOneIdentity() throws Exception {
        // the guardrail rule lists serviceAccount:frontend/web; check suggests a peer for it, labels prints one
        CliRun labels = CliRun.of("labels", "-n", "frontend", "--service-account", "web", "-o", "json");
        JsonNode peer = JSON.readTree(labels.out()).path("peer");

        CliRun check = CliRun.of("check", "-f", "examples/cluster", "-f", "examples/policies/denied/02-ingress-from.yaml", "-o", "json");
        assertEquals(1, check.exit(), check.err());
        List<JsonNode> suggested = new ArrayList<>();
        for (JsonNode o : JSON.readTree(check.out()).path("objects")) {
            for (JsonNode m : o.path("messages")) {
                suggested.addAll(peers(m.path("fix").asText()));
            }
        }
        assertTrue(suggested.contains(peer), "check suggests " + suggested + ", labels prints " + peer);

        // and the text form labels prints is the very text check prints
        CliRun text = CliRun.of("labels", "-n", "frontend", "--service-account", "web", "-o", "text");
        String line = text.out().lines().reduce((a, b) -> b).orElseThrow().strip();
        assertTrue(check.out().contains("peer " + line), line + "\nnot in\n" + check.out());
    }

    /** The flow mappings after each {@code peer } of a fix, parsed. */
    private static List<JsonNode> peers(String fix) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int at = fix.indexOf("peer {"); at >= 0; at = fix.indexOf("peer {", at + 1)) {
            int start = at + "peer ".length();
            int depth = 0;
            int end = start;
            do {
                depth += fix.charAt(end) == '{' ? 1 : fix.charAt(end) == '}' ? -1 : 0;
                end++;
            } while (depth > 0);
            out.add(new YAMLMapper().readTree(fix.substring(start, end)));
        }
        return out;
    }
}
