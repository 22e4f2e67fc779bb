package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.idgate.testing.TlsClients;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rows of docs/security.md's attack table that the fixture suites prove, exercised again through
 * the real API server with kubectl: what a cluster user would actually type.
 */
@Tag("e2e")
class AttackTableE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void exampleGuardrails() {
        var applied = k8s.kubectl("apply", "-f", "examples/cluster/guardrails.yaml");
        assertTrue(applied.ok(), applied.toString());
        k8s.namespace("pci-attacks");
        k8s.kubectlIn("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny, namespace: pci-attacks}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                """, "apply", "-f", "-");
        E2eCluster.await("example guardrails applied", () -> !k8s.kubectl("apply", "--dry-run=server",
                "-f", "examples/policies/denied/06-ports.yaml").ok());
    }

    private static E2eCluster.Result egressPolicy(String name, String peers) {
        return k8s.kubectlIn("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: pci-attacks}
                spec:
                  podSelector: {matchLabels: {tier: pci}}
                  policyTypes: [Egress]
                  egress:
                    - to: %s
                      ports: [{protocol: TCP, port: 443}]
                """.formatted(name, peers), "apply", "-f", "-");
    }

    @Test
    void ipBlockTricksAreRefused() {
        var halves = egressPolicy("halves", "[{ipBlock: {cidr: 0.0.0.0/1}}, {ipBlock: {cidr: 128.0.0.0/1}}]");
        assertFalse(halves.ok(), halves.toString());
        assertTrue(halves.err().contains("spec.egress[0].to[0].ipBlock.cidr: 0.0.0.0/1 is not inside an allowed CIDR (10.20.0.0/16)")
                && halves.err().contains("spec.egress[0].to[1].ipBlock.cidr: 128.0.0.0/1 is not inside an allowed CIDR"), halves.err());

        var mapped = egressPolicy("mapped", "[{ipBlock: {cidr: \"::ffff:0.0.0.0/96\"}}]");
        assertFalse(mapped.ok(), mapped.toString());
        assertTrue(mapped.err().contains("::ffff:0.0.0.0/96 means every address"), mapped.err());

        var except = egressPolicy("except", "[{ipBlock: {cidr: 0.0.0.0/0, except: [0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/2]}}]");
        assertFalse(except.ok(), except.toString());
        assertTrue(except.err().contains("an except list does not narrow the block"), except.err());

        var inside = egressPolicy("inside", "[{ipBlock: {cidr: 10.20.30.0/24}}]");
        assertTrue(inside.ok(), inside.toString());
    }

    @Test
    void anEmptyPeerIsRefused() {
        var refused = k8s.kubectlIn("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: empty-peer, namespace: pci-attacks}
                spec:
                  podSelector: {matchLabels: {tier: pci}}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{}]
                      ports: [{protocol: TCP, port: 8443}]
                """, "apply", "-f", "-");
        assertFalse(refused.ok(), refused.toString());
        assertTrue(refused.err().contains("spec.ingress[0].from[0]"), refused.err());
        assertFalse(k8s.kubectl("-n", "pci-attacks", "get", "networkpolicy", "empty-peer").ok(), "not stored");
    }

    @Test
    void forgedKeysInOtherLetterCaseAreRemovedAtCreate() {
        k8s.namespace("e2e-case");
        k8s.kubectlOk("-n", "e2e-case", "create", "serviceaccount", "web");
        var applied = k8s.kubectlIn("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-0
                  namespace: e2e-case
                  labels: {app: web, IDGATE.IO/service-account: admin, Groups.IdGate.io/admins: "true"}
                spec:
                  serviceAccountName: web
                  containers: [{name: app, image: registry.example.com/web:1}]
                """, "apply", "-f", "-");
        assertTrue(applied.ok(), applied.toString());
        JsonNode labels = k8s.kubectlJson("-n", "e2e-case", "get", "pod", "web-0").path("metadata").path("labels");
        assertTrue(labels.path("IDGATE.IO/service-account").isMissingNode() && labels.path("Groups.IdGate.io/admins").isMissingNode(), labels.toString());
        assertEquals("web", labels.path("idgate.io/service-account").asText());
    }

    @Test
    void aLaterMutatingWebhookCannotRewriteTheIdentity() throws Exception {
        k8s.namespace("e2e-rewriter");
        k8s.kubectlOk("-n", "e2e-rewriter", "create", "serviceaccount", "web");
        HttpsServer rewriter = startRewriter();
        // named after idgate's configuration, so the API server calls it after idgate's mutation
        k8s.registerPodMutatingWebhook("zz-identity-rewriter", "rewriter.e2e.example.com",
                "https://127.0.0.1:" + rewriter.getAddress().getPort() + "/rewrite", "e2e-rewriter");
        try {
            E2eCluster.Result created;
            long deadline = System.nanoTime() + 30_000_000_000L;
            do { // registration takes effect asynchronously: until the rewriter has been called
                created = k8s.kubectl("-n", "e2e-rewriter", "run", "probe", "--image=busybox", "--restart=Never", "--dry-run=server", "-o", "json",
                        "--overrides", "{\"spec\":{\"serviceAccountName\":\"web\"}}");
            } while (rewriterCalls == 0 && System.nanoTime() < deadline);
            assertTrue(rewriterCalls > 0, "the rewriting webhook was never called");
            // idgate is called again after the rewriter (reinvocationPolicy: IfNeeded) and stamps the identity back
            assertTrue(created.ok(), created.toString());
            assertEquals("web", JSON.readTree(created.out()).path("metadata").path("labels").path("idgate.io/service-account").asText(), created.out());
            assertTrue(created.err().contains("metadata.labels[idgate.io/service-account]: replaced requester-set value \"admin\""), created.err());
        } finally {
            k8s.kubectlOk("delete", "mutatingwebhookconfiguration", "zz-identity-rewriter");
            rewriter.stop(0);
        }
    }

    private static volatile int rewriterCalls;

    /** A mutating webhook that sets idgate.io/service-account to "admin" on every pod. */
    private static HttpsServer startRewriter() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(TlsClients.presenting(E2eCluster.CERTS.resolve("ca.crt"),
                E2eCluster.CERTS.resolve("tls.crt"), E2eCluster.CERTS.resolve("tls.key"))));
        server.createContext("/rewrite", exchange -> {
            rewriterCalls++;
            JsonNode review = JSON.readTree(exchange.getRequestBody());
            String patch = "[{\"op\":\"add\",\"path\":\"/metadata/labels/idgate.io~1service-account\",\"value\":\"admin\"}]";
            ObjectNode answer = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
            answer.putObject("response").put("uid", review.path("request").path("uid").asText()).put("allowed", true)
                    .put("patchType", "JSONPatch").put("patch", Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
