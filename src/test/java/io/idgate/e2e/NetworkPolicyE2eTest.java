package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** NetworkPolicies and guardrail ConfigMaps through the real API server, with the example guardrails. */
@Tag("e2e")
class NetworkPolicyE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();

    @BeforeAll
    static void exampleGuardrails() {
        var applied = k8s.kubectl("apply", "-f", "examples/cluster/guardrails.yaml");
        assertTrue(applied.ok(), applied.toString());
        k8s.namespace("pci-cards", "e2e-shop");
        // pci-* namespaces must keep a default-deny policy: create it first (creating it is allowed)
        var dd = k8s.kubectl("apply", "-f", "examples/cluster/networkpolicies.yaml");
        E2eCluster.await("example guardrails applied", () -> !k8s.kubectl("apply", "--dry-run=server",
                "-f", "examples/policies/denied/06-ports.yaml").ok());
        assertTrue(dd.ok(), dd.toString());
    }

    @Test
    void aPolicyBreakingADenyRuleIsRefusedWithTheDocumentedMessage() throws Exception {
        String doc = Files.readString(Path.of("docs/guardrails.md"));
        for (String example : new String[] {"01-identity-peers", "02-ingress-from", "06-ports", "08-immutable-namespace-selectors"}) {
            var refused = k8s.kubectl("apply", "-f", "examples/policies/denied/" + example + ".yaml");
            assertFalse(refused.ok(), example);
            assertTrue(doc.contains(refused.err().strip()), "docs/guardrails.md shows what kubectl printed:\n" + refused.err());
            var fixed = k8s.kubectl("apply", "-f", "examples/policies/fixed/" + example + ".yaml");
            assertTrue(fixed.ok(), fixed.toString());
            // the examples share a name: remove it, so the next refusal is a create like the documented ones
            assertTrue(k8s.kubectl("delete", "-f", "examples/policies/fixed/" + example + ".yaml").ok());
        }
    }

    @Test
    void aWarnRuleAdmitsThePolicyAndKubectlShowsTheWarnings() {
        var applied = k8s.kubectlIn("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-from-app, namespace: e2e-shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: frontend}}}]
                      ports: [{protocol: TCP, port: 8080}]
                """, "apply", "-f", "-");
        assertTrue(applied.ok(), applied.toString());
        assertTrue(applied.err().contains("Warning: [peers-by-identity (idgate-system/guardrails-pci)] spec.ingress[0].from[0].podSelector: "
                + "selects pods by labels any pod author can set"), applied.err());
        assertTrue(k8s.kubectl("-n", "e2e-shop", "get", "networkpolicy", "web-from-app").ok(), "stored");
    }

    @Test
    void serverSideDryRunJudgesTheSameAndStoresNothing() {
        var refused = k8s.kubectl("apply", "--dry-run=server", "-f", "examples/policies/denied/04-ip-blocks.yaml");
        assertFalse(refused.ok());
        assertTrue(refused.err().contains("0.0.0.0/0 is not inside an allowed CIDR (10.20.0.0/16)"), refused.err());
        var admitted = k8s.kubectl("apply", "--dry-run=server", "-f", "examples/policies/fixed/04-ip-blocks.yaml");
        assertTrue(admitted.ok() && admitted.out().contains("(server dry run)"), admitted.toString());
        assertFalse(k8s.kubectl("-n", "pci-cards", "get", "networkpolicy", "cards-hsm").ok(), "nothing stored");
    }

    @Test
    void deletingTheLastDefaultDenyOfAGuardedNamespaceIsRefused() {
        var deleted = k8s.kubectl("-n", "pci-cards", "delete", "networkpolicy", "default-deny");
        assertFalse(deleted.ok());
        assertTrue(deleted.err().contains("[pci-default-deny (idgate-system/guardrails-pci)] metadata.name: deleting default-deny removes the last"
                + " default-deny NetworkPolicy of namespace pci-cards"), deleted.err());
        assertTrue(k8s.kubectl("-n", "pci-cards", "get", "networkpolicy", "default-deny").ok(), "still there");
    }

    @Test
    void editingAGuardrailConfigMapChangesDecisionsWithinSeconds() {
        k8s.namespace("edit-a");
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: all-ports, namespace: edit-a}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{podSelector: {matchLabels: {idgate.io/service-account: web}}}]
                """;
        assertTrue(k8s.kubectlIn(policy, "apply", "--dry-run=server", "-f", "-").ok(), "no rule for edit-* yet");
        var created = k8s.kubectlIn(guardrail("deny"), "apply", "-f", "-");
        assertTrue(created.ok(), created.toString());
        long denyMillis = E2eCluster.await("deny rule applied", () -> !k8s.kubectlIn(policy, "apply", "--dry-run=server", "-f", "-").ok());
        var edited = k8s.kubectlIn(guardrail("warn"), "apply", "-f", "-");
        assertTrue(edited.ok(), edited.toString());
        long warnMillis = E2eCluster.await("warn rule applied", () -> {
            var r = k8s.kubectlIn(policy, "apply", "--dry-run=server", "-f", "-");
            return r.ok() && r.err().contains("Warning: [edit-ports (idgate-system/e2e-edit)]");
        });
        E2eCluster.log("guardrail edits applied after %d ms (create) and %d ms (edit), as seen through kubectl", denyMillis, warnMillis);
        assertTrue(denyMillis < 5_000 && warnMillis < 5_000, "within seconds: " + denyMillis + " / " + warnMillis + " ms");
    }

    @Test
    void aBrokenGuardrailConfigMapIsRefusedByKubectlApply() {
        var broken = k8s.kubectlIn("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: e2e-broken
                  namespace: idgate-system
                  labels: {idgate.io/guardrails: "true"}
                data:
                  team.yaml: |
                    rules:
                      - name: team-ports
                        requires: {ports: true}
                """, "apply", "-f", "-");
        assertFalse(broken.ok());
        assertTrue(broken.err().contains("admission webhook \"guardrails.validate.idgate.io\" denied the request: "
                + "configmap idgate-system/e2e-broken key team.yaml line "), broken.err());
        assertTrue(broken.err().contains("configmap idgate-system/e2e-broken key team.yaml line 3: rules[0].requires: unknown field; "
                + "did you mean require?"), broken.err());
        assertTrue(!k8s.kubectl("-n", "idgate-system", "get", "configmap", "e2e-broken").ok(), "not stored");
    }

    private static String guardrail(String action) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: e2e-edit
                  namespace: idgate-system
                  labels: {idgate.io/guardrails: "true"}
                data:
                  edit.yaml: |
                    rules:
                      - name: edit-ports
                        action: %s
                        match: {namespaces: ["edit-*"]}
                        require: {ports: true}
                """.formatted(action);
    }
}
