package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.review.AuditGauges;
import io.idgate.review.ClusterAudit;
import io.idgate.review.PolicyReportWriter;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.k8s.ManifestReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code idgate audit} against the fabric8 mock API server (CRUD mode) holding the example guardrails,
 * a namespace without its default-deny, policies, and pods that are current, that predate idgate,
 * and whose ServiceAccount gained an AWS role after they were created.
 */
@EnableKubernetesMockClient(crud = true)
class AuditCommandTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IdentityDeriver DERIVER = new IdentityDeriver(IdentityConfig.DEFAULTS);

    @BeforeEach
    void cluster() throws IOException {
        for (String ns : new String[] {"idgate-system", "payments", "pci-cards", "pci-new", "kube-system"}) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).createOr(r -> r.update());
        }
        var guardrails = (ConfigMap) client.getKubernetesSerialization().unmarshal(
                java.nio.file.Files.readString(Path.of("examples/cluster/guardrails.yaml")));
        client.configMaps().inNamespace("idgate-system").resource(guardrails).createOr(r -> r.update());
        client.serviceAccounts().inNamespace("payments").resource(new ServiceAccountBuilder().withNewMetadata().withName("api")
                .withNamespace("payments").endMetadata().build()).createOr(r -> r.update());
        // ledger gained an AWS role after its pod was created
        client.serviceAccounts().inNamespace("payments").resource(new ServiceAccountBuilder().withNewMetadata().withName("ledger")
                .withNamespace("payments").addToAnnotations(ServiceAccountInfo.AWS_ROLE_ARN, "arn:aws:iam::123456789012:role/payments-ledger")
                .endMetadata().build()).createOr(r -> r.update());
        // pci-cards keeps its default-deny; pci-new has none
        for (var m : ManifestReader.read(Path.of("examples/cluster/networkpolicies.yaml"))) {
            client.network().v1().networkPolicies().inNamespace("pci-cards")
                    .resource(JSON.treeToValue(m.object(), NetworkPolicy.class)).createOr(r -> r.update());
        }
        for (String example : new String[] {"01-identity-peers-denied", "01-identity-peers-fixed"}) {
            var m = ManifestReader.read(Path.of("examples/policies/" + example.replaceFirst("(.*)-(denied|fixed)$", "$2/$1") + ".yaml")).get(0);
            var policy = JSON.treeToValue(m.object(), NetworkPolicy.class);
            policy.getMetadata().setName(example);
            client.network().v1().networkPolicies().inNamespace("pci-cards").resource(policy).createOr(r -> r.update());
        }
        // payments keeps a default-deny, so its pods are not open to everyone (the reachability findings)
        client.network().v1().networkPolicies().inNamespace("payments").resource(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder()
                .withNewMetadata().withName("default-deny").withNamespace("payments").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build()).createOr(r -> r.update());
        // current: carries exactly what idgate derives for payments/api (member of group payments)
        var api = new ServiceAccountInfo("payments", "api", Map.of(), null);
        var identity = DERIVER.derive(api, Set.of("payments"));
        client.pods().inNamespace("payments").resource(pod("api-0", "api", identity.labels(), identity.annotations())).createOr(r -> r.update());
        // predates idgate: no identity key at all
        client.pods().inNamespace("payments").resource(pod("old-0", "api", Map.of("app", "old"), Map.of())).createOr(r -> r.update());
        // derived before the ServiceAccount had its AWS role
        var before = DERIVER.derive(new ServiceAccountInfo("payments", "ledger", Map.of(), "1"), Set.of("payments"));
        client.pods().inNamespace("payments").resource(pod("ledger-0", "ledger", before.labels(), before.annotations())).createOr(r -> r.update());
        // excluded namespace: never audited
        client.pods().inNamespace("kube-system").resource(pod("coredns-0", "coredns", Map.of(), Map.of())).createOr(r -> r.update());
    }

    private static Pod pod(String name, String serviceAccount, Map<String, String> labels, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount).addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                .build();
    }

    @Test
    void auditFindsWhatRunsInBreach() throws IOException {
        CliRun run = CliRun.withInput("", client, "audit");
        CliGoldenTest.golden("audit-text", run);
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.out().contains("ok       Pod payments/api-0"), run.out());
        assertTrue(run.out().contains("denied   Pod payments/old-0"), run.out());
        assertTrue(run.out().contains("metadata.labels[idgate.io/aws-role-arn]: identity key differs from a fresh derivation (have none, want \"sha256-"),
                run.out());
        assertTrue(run.out().contains("denied   Namespace pci-new"), run.out());
        assertTrue(!run.out().contains("coredns"), "kube-system is not audited");
    }

    @Test
    void auditOfTheClustersDumpedObjectsFindsWhatTheClusterAuditFinds(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        // what `kubectl get -A -o yaml namespaces,pods,serviceaccounts,networkpolicies,configmaps` gives, one file per kind
        var yaml = client.getKubernetesSerialization();
        java.util.List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new java.util.ArrayList<>();
        objects.addAll(client.namespaces().list().getItems());
        objects.addAll(client.pods().inAnyNamespace().list().getItems());
        objects.addAll(client.serviceAccounts().inAnyNamespace().list().getItems());
        objects.addAll(client.network().v1().networkPolicies().inAnyNamespace().list().getItems());
        objects.addAll(client.configMaps().inAnyNamespace().list().getItems());
        StringBuilder dump = new StringBuilder();
        for (var o : objects) {
            dump.append(yaml.asYaml(o));
        }
        java.nio.file.Files.writeString(dir.resolve("cluster.yaml"), dump);
        CliRun offline = CliRun.withInput("", null, "audit", "-f", dir.toString());
        CliRun live = CliRun.withInput("", client, "audit");
        assertEquals(live.exit(), offline.exit(), offline.err());
        assertEquals(live.out(), offline.out());
        assertTrue(offline.out().contains("denied   Pod payments/old-0"), offline.out());

        CliRun both = CliRun.withInput("", client, "audit", "-f", dir.toString(), "--context", "prod");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("give either -f PATH (manifests) or --context (a cluster), not both"), both.err());
    }

    @Test
    void jsonAndJunitCarryTheSameVerdicts() throws IOException {
        CliRun json = CliRun.withInput("", client, "audit", "-o", "json");
        assertEquals(1, json.exit());
        JsonNode doc = JSON.readTree(json.out());
        assertEquals(2, doc.path("summary").path("denied").asInt() - countDeniedPolicies(doc), "denied pods: old-0 (no keys) and ledger-0 (AWS role added since)");
        CliRun junit = CliRun.withInput("", client, "audit", "-o", "junit");
        assertEquals(1, junit.exit());
        assertTrue(junit.out().contains("failures=\"" + doc.path("summary").path("denied").asInt() + "\""), junit.out());
    }

    private static int countDeniedPolicies(JsonNode doc) {
        int n = 0;
        for (JsonNode o : doc.path("objects")) {
            if (!o.path("kind").asText().equals("Pod") && o.path("result").asText().equals("denied")) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aBrokenGuardrailConfigMapMakesTheAuditUnusable() {
        client.configMaps().inNamespace("idgate-system").withName("guardrails-pci").edit(cm -> {
            cm.getData().put("team.yaml", "rules:\n  - name: x\n    requires: {ports: true}\n");
            return cm;
        });
        CliRun run = CliRun.withInput("", client, "audit");
        assertEquals(2, run.exit(), run.out());
        assertTrue(run.err().contains("configmap idgate-system/guardrails-pci key team.yaml line 3: rules[0].requires: unknown field"), run.err());
    }

    @Test
    void anEmptyGuardrailsNamespaceIsAWarningNotAnErrorAndStrictFailsOnIt() {
        CliRun run = CliRun.withInput("", client, "audit", "--guardrails-namespace", "nowhere");
        assertTrue(run.err().startsWith("guardrails: 0 ConfigMaps, 0 rules, 0 groups\n"), run.err());
        assertTrue(run.err().contains("warning: no guardrails loaded (no ConfigMap labelled idgate.io/guardrails=true in namespace nowhere)"),
                run.err());
        assertEquals(1, run.exit(), "stale pods still fail: " + run.out());

        CliRun clean = CliRun.withInput("", client, "audit", "--guardrails-namespace", "nowhere", "--exclude-namespace", "idgate-system,payments,pci-cards,pci-new,kube-system");
        CliRun strict = CliRun.withInput("", client, "audit", "--guardrails-namespace", "nowhere", "--exclude-namespace", "idgate-system,payments,pci-cards,pci-new,kube-system",
                "--strict");
        assertEquals(0, clean.exit(), clean.out() + clean.err());
        assertEquals(1, strict.exit(), "--strict: no guardrails in force fails the audit\n" + strict.out() + strict.err());
    }

    @Test
    void gaugesExportTheLastRun() {
        var objects = io.idgate.k8s.ClusterObjects.fetch(client, null, null);
        var guardrails = new io.idgate.guardrails.GuardrailConfigMaps();
        guardrails.apply(io.idgate.k8s.GuardrailConfigMapReader.read(
                ManifestReader.read(Path.of("examples/cluster/guardrails.yaml")).get(0)));
        var registry = new SimpleMeterRegistry();
        var gauges = new AuditGauges(registry);
        gauges.record(ClusterAudit.audit(objects, guardrails.snapshot(), DERIVER, ClusterAudit.DEFAULT_EXCLUDED,
                io.idgate.identity.IdentityTokens.NONE));
        assertEquals(2.0, registry.get("idgate.audit.stale.pods").gauge().value());
        assertEquals(1.0, registry.get("idgate.audit.violations").tag("rule", "pci-default-deny").gauge().value(), "pci-new");
        assertTrue(registry.get("idgate.audit.violations").tag("rule", "pci-ingress-by-identity").gauge().value() >= 2);
        gauges.record(ClusterAudit.audit(objects, GuardrailSnapshot.EMPTY, DERIVER, ClusterAudit.DEFAULT_EXCLUDED,
                io.idgate.identity.IdentityTokens.NONE));
        assertTrue(registry.find("idgate.audit.violations").gauges().isEmpty(), "rules without violations drop out");
        gauges.close();
    }

    @Test
    void sarifOfTheAuditHasLogicalLocationsAndIdentityRuleIds() throws IOException {
        CliRun run = CliRun.withInput("", client, "audit", "-o", "sarif");
        assertEquals(1, run.exit(), run.err());
        JsonNode sarif = JSON.readTree(run.out());
        assertEquals(java.util.List.of(), ReportSchemas.errors(ReportSchemas.SARIF, sarif));
        Map<String, String> byObject = new java.util.TreeMap<>();
        for (JsonNode r : sarif.path("runs").path(0).path("results")) {
            JsonNode location = r.path("locations").path(0);
            assertTrue(location.path("physicalLocation").isMissingNode(), "cluster objects are in no file: " + r);
            byObject.merge(location.path("logicalLocations").path(0).path("fullyQualifiedName").asText(), r.path("ruleId").asText(),
                    (a, b) -> a + "," + b);
        }
        assertEquals("idgate/pod-identity-missing", byObject.get("Pod payments/old-0"));
        assertTrue(byObject.get("Pod payments/ledger-0").startsWith("idgate/pod-identity-key"), byObject.toString());
        assertEquals("idgate/defaultDeny", byObject.get("Namespace pci-new"));
        assertTrue(!byObject.containsKey("Pod payments/api-0"), "a current pod gives no result");
    }

    @Test
    void policyReportsOfTheAuditPutNamespacesInTheClusterReport() {
        CliRun run = CliRun.withInput("", client, "audit", "-o", "policyreport");
        assertEquals(1, run.exit(), run.err());
        var docs = ReportSchemas.documents(run.out());
        JsonNode cluster = docs.get(0);
        assertEquals("ClusterPolicyReport", cluster.path("kind").asText());
        assertEquals(java.util.List.of(), ReportSchemas.errors(ReportSchemas.crd("ClusterPolicyReport"), cluster));
        assertTrue(cluster.path("metadata").path("namespace").isMissingNode());
        boolean pciNewFails = false;
        for (JsonNode r : cluster.path("results")) {
            JsonNode res = r.path("resources").path(0);
            assertEquals("Namespace", res.path("kind").asText());
            if (res.path("name").asText().equals("pci-new")) {
                pciNewFails = r.path("result").asText().equals("fail") && r.path("policy").asText().equals("pci-default-deny")
                        && r.path("rule").asText().equals("defaultDeny") && r.path("properties").path("configMap").asText().startsWith("idgate-system/");
            }
        }
        assertTrue(pciNewFails, cluster.toString());
        for (JsonNode doc : docs.subList(1, docs.size())) {
            assertEquals("PolicyReport", doc.path("kind").asText());
            assertEquals(java.util.List.of(), ReportSchemas.errors(ReportSchemas.crd("PolicyReport"), doc));
        }
    }

    private static final ResourceDefinitionContext POLICY_REPORT = new ResourceDefinitionContext.Builder().withGroup("wgpolicyk8s.io")
            .withVersion("v1alpha2").withKind("PolicyReport").withPlural("policyreports").withNamespaced(true).build();
    private static final ResourceDefinitionContext CLUSTER_POLICY_REPORT = new ResourceDefinitionContext.Builder().withGroup("wgpolicyk8s.io")
            .withVersion("v1alpha2").withKind("ClusterPolicyReport").withPlural("clusterpolicyreports").withNamespaced(false).build();

    @Test
    void theScheduledAuditsPolicyReportsLandInTheClusterAndAreReplacedByTheNextRun() {
        var objects = io.idgate.k8s.ClusterObjects.fetch(client, null, null);
        var guardrails = new io.idgate.guardrails.GuardrailConfigMaps();
        guardrails.apply(io.idgate.k8s.GuardrailConfigMapReader.read(
                ManifestReader.read(Path.of("examples/cluster/guardrails.yaml")).get(0)));
        var result = ClusterAudit.audit(objects, guardrails.snapshot(), DERIVER, ClusterAudit.DEFAULT_EXCLUDED,
                io.idgate.identity.IdentityTokens.NONE);
        var writer = new PolicyReportWriter(client);
        var at = java.time.Instant.parse("2026-01-02T03:04:05Z");
        int written = writer.write(result.findings(), at);

        var reports = client.genericKubernetesResources(POLICY_REPORT).inAnyNamespace().list().getItems();
        var clusterReports = client.genericKubernetesResources(CLUSTER_POLICY_REPORT).list().getItems();
        assertEquals(written, reports.size() + clusterReports.size());
        assertEquals(1, clusterReports.size());
        var payments = client.genericKubernetesResources(POLICY_REPORT).inNamespace("payments")
                .withName("idgate").get();
        assertTrue(payments != null, "payments has its report: " + reports);
        JsonNode doc = JSON.valueToTree(payments);
        assertTrue(doc.path("summary").path("fail").asInt() >= 2, "old-0 and ledger-0, a line each at least: " + doc.path("summary"));
        assertEquals(2, doc.path("summary").path("pass").asInt(), "api-0 and the default-deny: " + doc.path("summary"));
        assertEquals(at.getEpochSecond(), doc.path("results").path(0).path("timestamp").path("seconds").asLong());
        assertEquals(java.util.List.of(), ReportSchemas.errors(ReportSchemas.crd("PolicyReport"), JSON.valueToTree(payments)));

        // the stale pods are gone: the next run replaces the report whole, and a namespace left
        // without findings loses ours
        client.pods().inNamespace("payments").withName("old-0").delete();
        client.pods().inNamespace("payments").withName("ledger-0").delete();
        client.pods().inNamespace("payments").withName("api-0").delete();
        client.network().v1().networkPolicies().inNamespace("payments").withName("default-deny").delete();
        var after = ClusterAudit.audit(io.idgate.k8s.ClusterObjects.fetch(client, null, null), guardrails.snapshot(), DERIVER,
                ClusterAudit.DEFAULT_EXCLUDED, io.idgate.identity.IdentityTokens.NONE);
        writer.write(after.findings(), at.plusSeconds(60));
        assertTrue(client.genericKubernetesResources(POLICY_REPORT).inNamespace("payments")
                .withName("idgate").get() == null, "payments has no pod and no policy left: no report");
        var cluster = client.genericKubernetesResources(CLUSTER_POLICY_REPORT).withName("idgate").get();
        assertEquals(at.getEpochSecond() + 60, JSON.valueToTree(cluster).path("results").path(0).path("timestamp").path("seconds").asLong());
    }
}
