package io.idgate.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The soak's review mix: AdmissionReviews as the API server would send them, each with a weight (its
 * share of the load, out of 100). Most of them are chosen so that the churn flips their answer (a
 * group that gains or loses members, a rule that goes from deny to warn, a second ConfigMap that comes
 * and goes, a ServiceAccount that is created, edited and deleted): only those can tell a stale or
 * half-applied snapshot from the right one. The world they are judged in is in
 * {@code src/test/resources/soak/}.
 */
final class Scenario {

    static final List<String> NAMESPACES = List.of("soak-payments", "soak-analytics", "soak-frontend", "soak-checkout", "soak-pci-cards", "soak-team");
    /** Replaced by a fresh uid in every review sent; the oracle answers the placeholder itself. */
    static final String PLACEHOLDER_UID = "00000000-0000-4000-8000-5041434548a0";

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One review of the mix.
     *
     * @param kind   what the report counts it as (resource and operation)
     * @param weight its share of the reviews sent, out of the total weight
     */
    record Template(String name, String kind, String path, int weight, byte[] prefix, byte[] suffix) {
        byte[] body(String uid) {
            byte[] id = uid.getBytes(StandardCharsets.US_ASCII);
            byte[] out = Arrays.copyOf(prefix, prefix.length + id.length + suffix.length);
            System.arraycopy(id, 0, out, prefix.length, id.length);
            System.arraycopy(suffix, 0, out, prefix.length + id.length, suffix.length);
            return out;
        }
    }

    private Scenario() {}

    /**
     * The mix. Some reviews carry pods as idgate's mutating webhook left them in the initial world
     * (soak-pci version 1 alone) or in the changed one (version 2 and soak-team): {@code initial} and
     * {@code changed} compute that with the oracle.
     */
    static List<Template> templates(BiFunction<String, ObjectNode, ObjectNode> initial, BiFunction<String, ObjectNode, ObjectNode> changed) {
        List<Template> t = new ArrayList<>();

        // ---- pod CREATE, mutating webhook (40) ----
        ObjectNode api = pod("api-0", "api", "{app: api, tier: backend}", null);
        ObjectNode ledger = pod("ledger-0", "ledger", "{app: ledger, idgate.io/service-account: admin}", null);
        ObjectNode reporter = pod("reporter-0", "reporter", null, null);
        t.add(pods("mutate-plain-sa", "/mutate/pods", "CREATE", "soak-payments", 6, api, null));
        t.add(pods("mutate-aws-sa-forged-service-account-label", "/mutate/pods", "CREATE", "soak-payments", 6, ledger, null));
        t.add(pods("mutate-gcp-sa-pod-without-labels", "/mutate/pods", "CREATE", "soak-analytics", 6, reporter, null));
        t.add(pods("mutate-azure-sa-forged-group-and-unknown-key", "/mutate/pods", "CREATE", "soak-frontend", 5,
                pod("web-0", "web", "{app: web, groups.idgate.io/admins: 'true', team.idgate.io/owner: mallory}",
                        "{idgate.io/oidc-subject: 'system:serviceaccount:kube-system:admin'}"), null));
        t.add(pods("mutate-three-clouds-sa-forged-spiffe-id", "/mutate/pods", "CREATE", "soak-payments", 5,
                pod("broker-0", "broker", "{app: broker, idgate.io/spiffe-id: forged}", null), null));
        t.add(pods("mutate-default-sa-group-by-namespace", "/mutate/pods", "CREATE", "soak-checkout", 4, pod("checkout-0", null, "{app: checkout}", null), null));
        t.add(pods("mutate-churned-sa", "/mutate/pods", "CREATE", "soak-payments", 6, pod("churn-0", "churn", "{app: churn}", null), null));
        t.add(pods("mutate-missing-sa-denied", "/mutate/pods", "CREATE", "soak-payments", 2, pod("ghost-0", "ghost", "{app: ghost}", null), null));

        // ---- pod CREATE, validating webhook (10) ----
        ObjectNode apiInitially = initial.apply("soak-payments", api);
        ObjectNode ledgerInitially = initial.apply("soak-payments", ledger);
        t.add(pods("validate-create-as-mutated-initially-flips-with-group", "/validate/pods", "CREATE", "soak-payments", 3, apiInitially, null));
        t.add(pods("validate-create-as-mutated-after-change-flips-back", "/validate/pods", "CREATE", "soak-analytics", 3,
                changed.apply("soak-analytics", reporter), null));
        t.add(pods("validate-create-as-mutated-stable", "/validate/pods", "CREATE", "soak-payments", 2, ledgerInitially, null));
        t.add(pods("validate-create-unmutated-denied", "/validate/pods", "CREATE", "soak-payments", 2, api, null));

        // ---- pod UPDATE, validating webhook (15) ----
        t.add(pods("update-relabel-other-key-allowed", "/validate/pods", "UPDATE", "soak-payments", 5,
                withLabel(apiInitially, "app", "api-v2"), apiInitially));
        t.add(pods("update-change-service-account-label-denied", "/validate/pods", "UPDATE", "soak-payments", 4,
                withLabel(apiInitially, "idgate.io/service-account", "admin"), apiInitially));
        ObjectNode ledgerWithoutGroup = ledgerInitially.deepCopy();
        ((ObjectNode) ledgerWithoutGroup.path("metadata").path("labels")).remove("groups.idgate.io/soak-payers");
        t.add(pods("update-drop-group-label-denied", "/validate/pods", "UPDATE", "soak-payments", 3, ledgerWithoutGroup, ledgerInitially));
        t.add(pods("update-backfill-as-derived-initially-flips", "/validate/pods", "UPDATE", "soak-analytics", 3,
                initial.apply("soak-analytics", reporter), reporter));

        // ---- NetworkPolicy CREATE / UPDATE / DELETE (30) ----
        ObjectNode defaultDeny = object("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny, namespace: soak-pci-cards}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                """);
        t.add(policies("netpol-create-pci-peer-by-app-label-deny-then-warn", "CREATE", 6, policy("cards-by-app", "soak-pci-cards", """
                podSelector: {matchLabels: {tier: pci}}
                policyTypes: [Ingress]
                ingress:
                  - from: [{podSelector: {matchLabels: {app: payments}}}]
                    ports: [{port: 443, protocol: TCP}]
                """), null));
        t.add(policies("netpol-create-pci-peer-by-group-allowed", "CREATE", 5, policy("cards-by-group", "soak-pci-cards", """
                podSelector: {matchLabels: {tier: pci}}
                policyTypes: [Ingress]
                ingress:
                  - from: [{podSelector: {matchLabels: {groups.idgate.io/soak-payers: "true"}}}]
                    ports: [{port: 443, protocol: TCP}]
                """), null));
        t.add(policies("netpol-create-pci-egress-to-world-deny-then-warn", "CREATE", 4, policy("cards-egress", "soak-pci-cards", """
                podSelector: {matchLabels: {tier: pci}}
                policyTypes: [Egress]
                egress:
                  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
                    ports: [{port: 443, protocol: TCP}]
                """), null));
        t.add(policies("netpol-delete-last-default-deny-deny-then-audit", "DELETE", 4, null, defaultDeny));
        t.add(policies("netpol-update-weakening-default-deny-deny-then-warn", "UPDATE", 3, policy("default-deny", "soak-pci-cards", """
                podSelector: {}
                policyTypes: [Ingress, Egress]
                ingress: [{}]
                """), defaultDeny));
        t.add(policies("netpol-create-team-by-app-label-without-ports-flips-with-configmap", "CREATE", 5, policy("team-by-app", "soak-team", """
                podSelector: {matchLabels: {app: reports}}
                policyTypes: [Ingress]
                ingress:
                  - from: [{podSelector: {matchLabels: {app: dashboards}}}]
                """), null));
        ObjectNode byIdentity = policy("api-from-web", "soak-payments", """
                podSelector: {matchLabels: {app: api}}
                policyTypes: [Ingress]
                ingress:
                  - from:
                      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: soak-frontend}}
                        podSelector: {matchLabels: {idgate.io/service-account: web}}
                    ports: [{port: 8080, protocol: TCP}]
                """);
        ObjectNode byIdentityBefore = byIdentity.deepCopy();
        ((ObjectNode) byIdentityBefore.path("spec").path("ingress").get(0).path("ports").get(0)).put("port", 8081);
        t.add(policies("netpol-update-by-identity-allowed", "UPDATE", 3, byIdentity, byIdentityBefore));

        // ---- guardrail ConfigMap CREATE / UPDATE (5) ----
        t.add(configMaps("guardrails-create-conflicting-with-team-flips", "CREATE", 3, guardrailConfigMap("soak-extra", """
                rules:
                  - name: soak-team-peers
                    match: {namespaces: ["soak-extra"]}
                    require: {ports: true}
                """), null));
        t.add(configMaps("guardrails-create-broken-denied", "CREATE", 1, guardrailConfigMap("soak-typo", """
                rules:
                  - name: soak-typo-ports
                    requires: {ports: true}
                """), null));
        t.add(configMaps("guardrails-update-pci-valid-allowed", "UPDATE", 1, guardrailConfigMap("soak-pci", """
                rules:
                  - name: soak-pci-ingress
                    match: {namespaces: ["soak-pci-*"]}
                    require: {ports: true}
                """), guardrailConfigMap("soak-pci", """
                rules:
                  - name: soak-pci-ingress
                    match: {namespaces: ["soak-pci-*"]}
                    require: {ports: true, noAllowAll: true}
                """)));
        return List.copyOf(t);
    }

    /** The objects of {@code src/test/resources/soak/<resource>}, as fabric8 types. */
    static <T> List<T> manifests(String resource, Class<T> type) {
        try (InputStream in = Scenario.class.getResourceAsStream("/soak/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource soak/" + resource);
            }
            List<T> out = new ArrayList<>();
            for (Manifest m : ManifestReader.read("soak/" + resource, in)) {
                out.add(Answers.JSON.treeToValue(m.object(), type));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- objects ----

    private static ObjectNode pod(String name, String serviceAccount, String labels, String annotations) {
        ObjectNode pod = object("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers: [{name: main, image: registry.example.com/soak:1.0, ports: [{containerPort: 8080}]}]
                """.formatted(name));
        ObjectNode metadata = (ObjectNode) pod.get("metadata");
        if (labels != null) {
            metadata.set("labels", object(labels));
        }
        if (annotations != null) {
            metadata.set("annotations", object(annotations));
        }
        if (serviceAccount != null) {
            ((ObjectNode) pod.get("spec")).put("serviceAccountName", serviceAccount);
        }
        return pod;
    }

    private static ObjectNode withLabel(ObjectNode pod, String key, String value) {
        ObjectNode copy = pod.deepCopy();
        ((ObjectNode) copy.path("metadata").path("labels")).put(key, value);
        return copy;
    }

    private static ObjectNode policy(String name, String namespace, String spec) {
        ObjectNode p = object("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                """.formatted(name, namespace));
        p.set("spec", object(spec));
        return p;
    }

    private static ObjectNode guardrailConfigMap(String name, String document) {
        ObjectNode cm = object("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: idgate-system
                  labels: {idgate.io/guardrails: "true"}
                """.formatted(name));
        cm.putObject("data").put(name + ".yaml", document);
        return cm;
    }

    private static ObjectNode object(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- reviews ----

    private static Template pods(String name, String path, String operation, String namespace, int weight, ObjectNode pod, ObjectNode oldPod) {
        String kind = "pod " + operation + (path.startsWith("/mutate") ? " (mutating)" : " (validating)");
        ObjectNode copy = pod.deepCopy();
        ((ObjectNode) copy.get("metadata")).put("namespace", namespace);
        ObjectNode oldCopy = oldPod == null ? null : oldPod.deepCopy();
        if (oldCopy != null) {
            ((ObjectNode) oldCopy.get("metadata")).put("namespace", namespace);
        }
        return template(name, kind, path, weight, review("", "v1", "Pod", "pods", namespace, operation, copy, oldCopy));
    }

    private static Template policies(String name, String operation, int weight, ObjectNode policy, ObjectNode oldPolicy) {
        ObjectNode shown = policy != null ? policy : oldPolicy;
        return template(name, "NetworkPolicy " + operation, "/validate/networkpolicies", weight,
                review("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", shown.path("metadata").path("namespace").asText(), operation,
                        policy, oldPolicy));
    }

    private static Template configMaps(String name, String operation, int weight, ObjectNode cm, ObjectNode oldCm) {
        return template(name, "guardrail ConfigMap " + operation, "/validate/guardrails", weight,
                review("", "v1", "ConfigMap", "configmaps", "idgate-system", operation, cm, oldCm));
    }

    private static ObjectNode review(String group, String version, String kind, String resource, String namespace, String operation,
            ObjectNode object, ObjectNode oldObject) {
        ObjectNode review = NODES.objectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", PLACEHOLDER_UID);
        request.putObject("kind").put("group", group).put("version", version).put("kind", kind);
        request.putObject("resource").put("group", group).put("version", version).put("resource", resource);
        request.put("namespace", namespace);
        JsonNode named = object != null ? object : oldObject;
        request.put("name", named.path("metadata").path("name").asText());
        request.put("operation", operation);
        request.putObject("userInfo").put("username", "soak").putArray("groups").add("system:authenticated");
        request.set("object", object == null ? NODES.nullNode() : object);
        request.set("oldObject", oldObject == null ? NODES.nullNode() : oldObject);
        request.put("dryRun", false);
        return review;
    }

    private static Template template(String name, String kind, String path, int weight, ObjectNode review) {
        try {
            String json = Answers.JSON.writeValueAsString(review);
            int at = json.indexOf(PLACEHOLDER_UID);
            return new Template(name, kind, path, weight, json.substring(0, at).getBytes(StandardCharsets.UTF_8),
                    json.substring(at + PLACEHOLDER_UID.length()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
