package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.idgate.engine.Finding;
import io.idgate.engine.Message;
import io.idgate.guardrails.Action;
import io.idgate.review.PolicyReportWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PolicyReports on the real API server, once the wgpolicyk8s.io/v1alpha2 CRDs (test resources, not
 * part of the install) are applied: {@code idgate audit -o policyreport} applies as it is, and the
 * in-server writer, with idgate's own ServiceAccount and the RBAC of k8s/components/policy-reports,
 * creates and replaces its reports.
 */
@Tag("e2e")
class PolicyReportsE2eTest {

    private final E2eCluster k8s = E2eCluster.get();

    private void crds() {
        k8s.kubectlOk("apply", "-f", "src/test/resources/schemas/wgpolicyk8s.io-v1alpha2-crds.yaml");
        E2eCluster.await("the PolicyReport CRDs served", () -> k8s.kubectl("get", "policyreports", "-A").ok()
                && k8s.kubectl("get", "clusterpolicyreports").ok());
    }

    @Test
    void theAuditsPolicyReportsApplyAsTheyAre() {
        crds();
        k8s.namespace("e2e-polr");
        k8s.kubectlOk("-n", "e2e-polr", "create", "serviceaccount", "web");
        k8s.kubectlOk("-n", "e2e-polr", "run", "web-0", "--image=busybox", "--restart=Never", "--overrides",
                "{\"spec\":{\"serviceAccountName\":\"web\"}}");
        var audit = k8s.idgateCli("audit", "-o", "policyreport");
        assertTrue(audit.exit() == 0 || audit.exit() == 1, audit.toString());
        var applied = k8s.kubectlIn(audit.out(), "apply", "-f", "-");
        assertTrue(applied.ok(), applied.toString());
        JsonNode report = k8s.kubectlJson("-n", "e2e-polr", "get", "policyreport", "idgate");
        assertEquals("idgate", report.path("results").path(0).path("source").asText(), report.toString());
        assertEquals("web-0", report.path("results").path(0).path("resources").path(0).path("name").asText(), report.toString());
        assertEquals(report.path("results").size(), report.path("summary").path("pass").asInt() + report.path("summary").path("fail").asInt()
                + report.path("summary").path("warn").asInt(), "the API server kept every result: " + report);
    }

    @Test
    void theWriterCreatesAndReplacesReportsWithIdgatesOwnRbac() throws IOException {
        crds();
        k8s.kubectlOk("apply", "-f", "k8s/components/policy-reports/rbac.yaml");
        k8s.namespace("e2e-polr-writer");
        var config = Config.fromKubeconfig(Files.readString(E2eCluster.DIR.resolve("idgate.kubeconfig")));
        try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
            var writer = new PolicyReportWriter(client);
            Finding stale = new Finding("Pod", "e2e-polr-writer", "old-0", "cluster", 0, true,
                    List.of(Message.identity(Action.DENY, Message.IDENTITY_MISSING, "metadata.labels: the pod carries no identity keys")), null);
            Finding namespace = new Finding("Namespace", "", "e2e-polr-writer", "cluster", 0, true, List.of(), null);
            E2eCluster.await("RBAC for the reports in force", () -> {
                try {
                    return writer.write(List.of(stale, namespace), Instant.parse("2026-01-01T00:00:00Z")) == 2;
                } catch (RuntimeException e) {
                    return false; // the binding may take a moment to reach the authorizer's cache
                }
            });
            JsonNode first = k8s.kubectlJson("-n", "e2e-polr-writer", "get", "policyreport", "idgate");
            assertEquals(1, first.path("summary").path("fail").asInt(), first.toString());
            assertEquals("pod-identity-missing", first.path("results").path(0).path("rule").asText());

            Finding fixed = new Finding("Pod", "e2e-polr-writer", "old-0", "cluster", 0, true, List.of(), null);
            writer.write(List.of(fixed, namespace), Instant.parse("2026-01-01T00:10:00Z"));
            JsonNode second = k8s.kubectlJson("-n", "e2e-polr-writer", "get", "policyreport", "idgate");
            assertEquals(1, second.path("summary").path("pass").asInt(), second.toString());
            assertEquals(0, second.path("summary").path("fail").asInt(), "replaced whole, not merged: " + second);
            JsonNode cluster = k8s.kubectlJson("get", "clusterpolicyreport", "idgate");
            assertTrue(cluster.path("results").toString().contains("e2e-polr-writer"), cluster.toString());
        }
    }
}
