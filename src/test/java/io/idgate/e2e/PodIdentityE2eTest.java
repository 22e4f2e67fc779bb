package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.idgate.identity.LabelValues;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pods through the real API server: what `kubectl apply` stores, and what it refuses. */
@Tag("e2e")
class PodIdentityE2eTest {

    private final E2eCluster k8s = E2eCluster.get();

    private static String pod(String namespace, String name, String serviceAccount, String extraLabels) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                  labels: {app: web%s}
                spec:
                  serviceAccountName: %s
                  containers: [{name: app, image: registry.example.com/web:1}]
                """.formatted(name, namespace, extraLabels, serviceAccount);
    }

    @Test
    void aPodGetsItsIdentityAndForgedIdentityLabelsAreReplaced() {
        k8s.namespace("e2e-pods");
        k8s.kubectlOk("-n", "e2e-pods", "create", "serviceaccount", "web");
        var applied = k8s.kubectlIn(pod("e2e-pods", "web-0", "web", ", idgate.io/service-account: admin, groups.idgate.io/admins: \"true\""),
                "apply", "-f", "-");
        assertTrue(applied.ok(), applied.toString());
        assertTrue(applied.err().contains("Warning: metadata.labels[idgate.io/service-account]: replaced requester-set value \"admin\""), applied.err());
        assertTrue(applied.err().contains("Warning: metadata.labels[groups.idgate.io/admins]: removed requester-set key"), applied.err());

        JsonNode meta = k8s.kubectlJson("-n", "e2e-pods", "get", "pod", "web-0").path("metadata");
        assertEquals("web", meta.path("labels").path("idgate.io/service-account").asText());
        assertEquals("e2e-pods", meta.path("labels").path("idgate.io/namespace").asText());
        assertEquals(LabelValues.encode("spiffe://cluster.local/ns/e2e-pods/sa/web"), meta.path("labels").path("idgate.io/spiffe-id").asText());
        assertTrue(meta.path("labels").path("groups.idgate.io/admins").isMissingNode(), "forged group label removed");
        assertEquals("system:serviceaccount:e2e-pods:web", meta.path("annotations").path("idgate.io/oidc-subject").asText());
        assertTrue(meta.path("annotations").path("idgate.io/derived-from").asText().startsWith("serviceaccount/e2e-pods/web@"));
    }

    @Test
    void changingAnIdentityLabelIsRefusedWhileOtherLabelsMayChange() {
        k8s.namespace("e2e-relabel");
        k8s.kubectlOk("-n", "e2e-relabel", "create", "serviceaccount", "web");
        k8s.kubectlOk("-n", "e2e-relabel", "run", "web-0", "--image=busybox", "--restart=Never", "--overrides",
                "{\"spec\":{\"serviceAccountName\":\"web\"}}");
        var relabel = k8s.kubectl("-n", "e2e-relabel", "label", "pod", "web-0", "idgate.io/service-account=admin", "--overwrite");
        assertFalse(relabel.ok());
        assertTrue(relabel.err().contains("admission webhook \"pods.validate.idgate.io\" denied the request: "
                + "metadata.labels[idgate.io/service-account]: identity keys cannot be changed once set (have \"admin\", want \"web\")"), relabel.err());
        var remove = k8s.kubectl("-n", "e2e-relabel", "label", "pod", "web-0", "idgate.io/spiffe-id-");
        assertFalse(remove.ok(), "removing an identity label is refused too");
        var other = k8s.kubectl("-n", "e2e-relabel", "label", "pod", "web-0", "version=v2");
        assertTrue(other.ok(), other.toString());
        var patch = k8s.kubectl("-n", "e2e-relabel", "patch", "pod", "web-0", "--type=merge", "-p",
                "{\"metadata\":{\"labels\":{\"groups.idgate.io/admins\":\"true\"}}}");
        assertFalse(patch.ok(), "a merge patch adding a groups label is refused");
    }

    @Test
    void cloudWorkloadIdentitiesOfTheServiceAccountBecomeLabels() {
        k8s.namespace("e2e-cloud");
        k8s.kubectlIn("""
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: broker
                  namespace: e2e-cloud
                  annotations:
                    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/broker
                    iam.gke.io/gcp-service-account: broker@prod.iam.gserviceaccount.com
                    azure.workload.identity/client-id: 66666666-7777-8888-9999-000000000000
                """, "apply", "-f", "-");
        k8s.kubectlIn(pod("e2e-cloud", "broker-0", "broker", ""), "apply", "-f", "-");
        JsonNode labels = k8s.kubectlJson("-n", "e2e-cloud", "get", "pod", "broker-0").path("metadata").path("labels");
        assertEquals(LabelValues.encode("arn:aws:iam::123456789012:role/broker"), labels.path("idgate.io/aws-role-arn").asText());
        assertEquals(LabelValues.encode("broker@prod.iam.gserviceaccount.com"), labels.path("idgate.io/gcp-service-account").asText());
        assertEquals("66666666-7777-8888-9999-000000000000", labels.path("idgate.io/azure-client-id").asText());
    }

    @Test
    void aGroupOfAGuardrailConfigMapLabelsThePod() {
        k8s.namespace("e2e-groups");
        k8s.kubectlOk("-n", "e2e-groups", "create", "serviceaccount", "ledger");
        var cm = k8s.kubectlIn("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: e2e-groups
                  namespace: idgate-system
                  labels: {idgate.io/guardrails: "true"}
                data:
                  groups.yaml: |
                    groups:
                      ledger-team:
                        members:
                          - serviceAccount: e2e-groups/ledger
                """, "apply", "-f", "-");
        assertTrue(cm.ok(), cm.toString());
        E2eCluster.await("group applied", () -> k8s.kubectlIn(pod("e2e-groups", "ledger-0", "ledger", ""),
                "apply", "--dry-run=server", "-o", "json", "-f", "-").out().contains("groups.idgate.io/ledger-team"));
        k8s.kubectlIn(pod("e2e-groups", "ledger-0", "ledger", ""), "apply", "-f", "-");
        JsonNode meta = k8s.kubectlJson("-n", "e2e-groups", "get", "pod", "ledger-0").path("metadata");
        assertEquals("true", meta.path("labels").path("groups.idgate.io/ledger-team").asText());
        assertEquals("ledger-team", meta.path("annotations").path("idgate.io/groups").asText());
    }

    @Test
    void everyWayOfRewritingAnIdentityLabelIsRefused() {
        k8s.namespace("e2e-rewrite");
        k8s.kubectlOk("-n", "e2e-rewrite", "create", "serviceaccount", "web");
        k8s.kubectlIn(pod("e2e-rewrite", "web-0", "web", ""), "apply", "-f", "-");
        String denied = "identity keys cannot be changed once set";
        var strategic = k8s.kubectl("-n", "e2e-rewrite", "patch", "pod", "web-0", "--type=strategic", "-p",
                "{\"metadata\":{\"labels\":{\"idgate.io/namespace\":\"kube-system\"}}}");
        assertTrue(!strategic.ok() && strategic.err().contains(denied), "strategic merge patch: " + strategic);
        var json = k8s.kubectl("-n", "e2e-rewrite", "patch", "pod", "web-0", "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/metadata/labels/idgate.io~1service-account\",\"value\":\"admin\"}]");
        assertTrue(!json.ok() && json.err().contains(denied), "JSON patch: " + json);
        var empty = k8s.kubectl("-n", "e2e-rewrite", "label", "pod", "web-0", "idgate.io/service-account=", "--overwrite");
        assertTrue(!empty.ok() && empty.err().contains(denied), "empty value: " + empty);
        var serverSide = k8s.kubectlIn(pod("e2e-rewrite", "web-0", "web", ", idgate.io/spiffe-id: forged"),
                "apply", "--server-side", "--force-conflicts", "-f", "-");
        assertTrue(!serverSide.ok() && serverSide.err().contains(denied), "server-side apply: " + serverSide);
        assertEquals("web", k8s.kubectlJson("-n", "e2e-rewrite", "get", "pod", "web-0").path("metadata").path("labels")
                .path("idgate.io/service-account").asText(), "unchanged");
    }

    @Test
    void aPodCannotBorrowAServiceAccountOfAnotherNamespace() {
        k8s.namespace("e2e-borrow", "e2e-owner");
        k8s.kubectlOk("-n", "e2e-owner", "create", "serviceaccount", "vault-admin");
        // serviceAccountName is namespace-local: naming another namespace's account finds nothing here
        var created = k8s.kubectlIn(pod("e2e-borrow", "thief", "vault-admin", ""), "apply", "-f", "-");
        assertTrue(!created.ok(), created.toString());
        assertTrue(created.err().contains("vault-admin"), created.err());
        assertTrue(!k8s.kubectl("-n", "e2e-borrow", "get", "pod", "thief").ok(), "not stored");
    }
}
