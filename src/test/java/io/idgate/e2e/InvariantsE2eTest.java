package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Invariants through the real API server (design section 8): a policy, a pod and a namespace relabel
 * that would open a path into a protected identity are refused, each naming the edge and the rule.
 *
 * <p>The protected identity is the pods of {@code e2e-inv-pay}; only {@code e2e-inv-ok} may reach them.
 * The guardrail ConfigMap is this test's own and is removed afterwards, so other suites never see it.
 */
@Tag("e2e")
class InvariantsE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();

    private static final String GUARDRAILS = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: e2e-invariants
              namespace: idgate-system
              labels: {idgate.io/guardrails: "true"}
            data:
              invariants.yaml: |
                groups:
                  e2e-inv-pay: {members: [{namespace: e2e-inv-pay}]}
                invariants:
                  - name: e2e-inv-pay-isolated
                    to: group:e2e-inv-pay
                    onlyFrom: ["namespace:e2e-inv-ok"]
            """;

    @BeforeAll
    static void world() {
        k8s.namespace("e2e-inv-pay", "e2e-inv-ok", "e2e-inv-shop");
        var guardrails = k8s.kubectlIn(GUARDRAILS, "apply", "-f", "-");
        assertTrue(guardrails.ok(), guardrails.toString());
        for (String ns : new String[] {"e2e-inv-pay", "e2e-inv-ok", "e2e-inv-shop"}) {
            var sa = k8s.kubectl("-n", ns, "create", "serviceaccount", "app");
            assertTrue(sa.ok() || sa.err().contains("AlreadyExists"), sa.toString());
        }
        // the protected pods' default-deny comes first: a protected pod that anything may reach is itself refused
        var policies = k8s.kubectlIn("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny, namespace: e2e-inv-pay}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: allow-clients, namespace: e2e-inv-pay}
                spec:
                  podSelector: {matchLabels: {app: api}}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{namespaceSelector: {matchLabels: {e2e-role: pay-client}}}]
                      ports: [{protocol: TCP, port: 8080}]
                    - from: [{namespaceSelector: {}, podSelector: {matchLabels: {e2e-role: frontend}}}]
                      ports: [{protocol: TCP, port: 8080}]
                """, "apply", "-f", "-");
        assertTrue(policies.ok(), policies.toString());
        // the pods are stamped with the group once the ConfigMap is in force: wait for it
        E2eCluster.await("the invariant's group stamped on a new pod", () -> {
            k8s.kubectl("-n", "e2e-inv-pay", "delete", "pod", "api", "--ignore-not-found", "--wait=false");
            var pod = k8s.kubectlIn("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: api, namespace: e2e-inv-pay, labels: {app: api}}
                    spec:
                      serviceAccountName: app
                      containers: [{name: app, image: registry.example.com/api:1, ports: [{name: http, containerPort: 8080}]}]
                    """, "apply", "-f", "-");
            var labels = k8s.kubectl("-n", "e2e-inv-pay", "get", "pod", "api", "-o", "jsonpath={.metadata.labels}");
            return pod.ok() && labels.out().contains("groups.idgate.io/e2e-inv-pay");
        });
        var rest = k8s.kubectlIn("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: e2e-inv-shop, labels: {app: web}}
                spec:
                  serviceAccountName: app
                  containers: [{name: app, image: registry.example.com/web:1}]
                """, "apply", "-f", "-");
        assertTrue(rest.ok(), rest.toString());
    }

    @AfterAll
    static void cleanUp() {
        k8s.kubectl("-n", "idgate-system", "delete", "configmap", "e2e-invariants", "--ignore-not-found");
    }

    @Test
    void aPolicyLettingAnOutsideNamespaceInIsRefusedWithTheEdgeAndTheRule() {
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: allow-shop, namespace: e2e-inv-pay}
                spec:
                  podSelector: {matchLabels: {app: api}}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: e2e-inv-shop}}}]
                      ports: [{protocol: TCP, port: 8080}]
                """;
        String expected = "[e2e-inv-pay-isolated (idgate-system/e2e-invariants)] spec.ingress[0].from[0]: opens e2e-inv-shop/app[ServiceAccount]"
                + " => e2e-inv-pay/app[ServiceAccount] : TCP 8080, but only namespace:e2e-inv-ok may reach group:e2e-inv-pay";
        long millis = E2eCluster.await("the invariant refuses the policy", () -> {
            var applied = k8s.kubectlIn(policy, "apply", "-f", "-");
            return !applied.ok() && applied.err().contains(expected);
        });
        var refused = k8s.kubectlIn(policy, "apply", "-f", "-");
        E2eCluster.log("invariant in force after %d ms; kubectl printed:%n%s", millis, refused.err());
        assertFalse(k8s.kubectl("-n", "e2e-inv-pay", "get", "networkpolicy", "allow-shop").ok(), "nothing stored");
        var allowed = k8s.kubectlIn(policy.replace("e2e-inv-shop", "e2e-inv-ok").replace("allow-shop", "allow-ok"), "apply", "-f", "-");
        assertTrue(allowed.ok(), "the listed namespace may: " + allowed);
    }

    @Test
    void aPodWhoseLabelsASpoofableRuleSelectsIsRefused() {
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: sneaky, namespace: e2e-inv-shop, labels: {e2e-role: frontend}}
                spec:
                  serviceAccountName: app
                  containers: [{name: app, image: registry.example.com/web:1}]
                """;
        String expected = "opens e2e-inv-shop/app[ServiceAccount] => e2e-inv-pay/app[ServiceAccount] : TCP 8080";
        E2eCluster.await("the invariant refuses the pod", () -> {
            var created = k8s.kubectlIn(pod, "apply", "-f", "-");
            return !created.ok() && created.err().contains("pods.validate.idgate.io") && created.err().contains(expected);
        });
        E2eCluster.log("kubectl printed:%n%s", k8s.kubectlIn(pod, "apply", "-f", "-").err());
        assertFalse(k8s.kubectl("-n", "e2e-inv-shop", "get", "pod", "sneaky").ok(), "nothing stored");
        var relabel = k8s.kubectl("-n", "e2e-inv-shop", "label", "pod", "web", "e2e-role=frontend");
        assertFalse(relabel.ok(), "relabelling an existing pod into the rule is refused too: " + relabel);
        assertTrue(relabel.err().contains(expected), relabel.err());
    }

    @Test
    void aNamespaceRelabelThatANamespaceSelectorWouldAdmitIsRefused() {
        var relabel = k8s.kubectl("label", "namespace", "e2e-inv-shop", "e2e-role=pay-client");
        E2eCluster.log("kubectl printed:%n%s", relabel.err());
        assertFalse(relabel.ok(), relabel.toString());
        assertTrue(relabel.err().contains("namespaces.validate.idgate.io") && relabel.err()
                .contains("metadata.labels: opens e2e-inv-shop/app[ServiceAccount] => e2e-inv-pay/app[ServiceAccount] : TCP 8080"), relabel.err());
        var harmless = k8s.kubectl("label", "namespace", "e2e-inv-shop", "e2e-tier=2", "--overwrite");
        assertTrue(harmless.ok(), "a relabel that opens nothing is allowed: " + harmless);
    }
}
