package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code idgate reach --cluster} against the fabric8 mock API server (CRUD mode) holding the worked
 * example as a live cluster holds it: namespaces with labels, ServiceAccounts, the guardrail ConfigMap,
 * the NetworkPolicies, and running pods instead of workloads (each with its controller
 * {@code ownerReference} and {@code status.podIPs}), plus one unowned pod in {@code default}.
 */
@EnableKubernetesMockClient(crud = true)
class ReachClusterTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    /** The ReplicaSet hash a Deployment's pods carry in their owner's name. */
    private static final String HASH = "-5d8f7c9b6";

    @TempDir
    Path files;

    @BeforeEach
    void cluster() {
        var json = client.getKubernetesSerialization();
        int ip = 10;
        for (Manifest m : ManifestReader.read(Path.of(ReachGoldenTest.BEFORE))) {
            String text = m.object().toString();
            switch (m.kind()) {
                case "Namespace" -> client.namespaces().resource(json.unmarshal(text, Namespace.class)).createOr(r -> r.update());
                case "ServiceAccount" -> client.serviceAccounts().resource(json.unmarshal(text, ServiceAccount.class)).createOr(r -> r.update());
                case "ConfigMap" -> client.configMaps().resource(json.unmarshal(text, ConfigMap.class)).createOr(r -> r.update());
                case "NetworkPolicy" -> client.network().v1().networkPolicies().resource(json.unmarshal(text, NetworkPolicy.class))
                        .createOr(r -> r.update());
                case "Deployment", "StatefulSet" -> client.pods().resource(runningPod(m, ip++)).createOr(r -> r.update());
                default -> throw new AssertionError("the example grew a kind this test does not place: " + m.kind());
            }
        }
        // not owned, in a namespace without policies: it reaches ingress-nginx only because its address is in 0.0.0.0/0
        client.pods().resource(new PodBuilder().withNewMetadata().withName("debug").withNamespace("default").endMetadata()
                .withNewSpec().addNewContainer().withName("sh").withImage("busybox").endContainer().endSpec()
                .withNewStatus().withPodIPs(new PodIPBuilder().withIp("10.0.9.9").build()).endStatus().build()).createOr(r -> r.update());
    }

    /** The pod a workload runs: its template, owned by the ReplicaSet (Deployment) or the StatefulSet, with an address. */
    private static Pod runningPod(Manifest workload, int ip) {
        ObjectNode template = (ObjectNode) workload.object().path("spec").path("template");
        var json = client.getKubernetesSerialization();
        boolean deployment = "Deployment".equals(workload.kind());
        String owner = workload.name() + (deployment ? HASH : "");
        Map<String, String> labels = json.convertValue(template.path("metadata").path("labels"), Map.class);
        return new PodBuilder().withNewMetadata().withName(owner + "-x" + ip).withNamespace(workload.namespace()).withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(deployment ? "ReplicaSet" : "StatefulSet")
                        .withName(owner).withUid("uid-" + owner).withController(true).build())
                .endMetadata()
                .withSpec(json.unmarshal(template.path("spec").toString(), PodSpec.class))
                .withNewStatus().withPodIPs(new PodIPBuilder().withIp("10.0." + ip + ".4").build()).endStatus()
                .build();
    }

    @Test
    void theClusterGivesWhatItsObjectsGiveAsFiles() throws IOException {
        CliRun live = CliRun.withInput("", client, "reach", "list", "--cluster");
        assertEquals(0, live.exit(), live.err());

        // the same objects, as kubectl get -o yaml would write them, read back as files
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(client.namespaces().list().getItems());
        objects.addAll(client.serviceAccounts().inAnyNamespace().list().getItems());
        objects.addAll(client.configMaps().inNamespace("idgate-system").list().getItems());
        objects.addAll(client.network().v1().networkPolicies().inAnyNamespace().list().getItems());
        objects.addAll(client.pods().inAnyNamespace().list().getItems());
        String yaml = objects.stream().map(o -> client.getKubernetesSerialization().asYaml(o)).collect(Collectors.joining("\n---\n"));
        Files.writeString(files.resolve("cluster.yaml"), yaml);
        CliRun fromFiles = CliRun.of("reach", "list", files.toString());
        assertEquals(0, fromFiles.exit(), fromFiles.err());

        assertEquals(fromFiles.out(), live.out());
        assertEquals("", live.err());
    }

    @Test
    void runningPodsAreTheirOwnersAndTheirAddressesMatchIpBlocks() throws IOException {
        CliRun live = CliRun.withInput("", client, "reach", "list", "--cluster");
        assertEquals(0, live.exit(), live.err());
        // an owned pod is the peer of its owner; the manifests' Deployment is, live, its ReplicaSet
        String asWorkloads = live.out().replace(HASH + "[ReplicaSet]", "[Deployment]");
        List<String> debug = asWorkloads.lines().filter(l -> l.contains("default/debug[Pod]")).toList();
        String rest = asWorkloads.lines().filter(l -> !l.contains("default/debug[Pod]")).map(l -> l + "\n").collect(Collectors.joining());
        assertEquals(Files.readString(CliGoldenTest.GOLDEN.resolve("reach-list-txt.out")), rest,
                "the live cluster has the example's edges (names aside)");
        // status.podIPs: 10.0.9.9 is inside from-the-internet's 0.0.0.0/0, the only peer ingress-nginx admits
        assertTrue(debug.contains("default/debug[Pod] => ingress-nginx/controller[Deployment] : TCP 80,443"), String.join("\n", debug));
    }

    @Test
    void explainAndWhoReadTheClusterToo() {
        CliRun who = CliRun.withInput("", client, "reach", "who", "--to", "payments/ledger", "--cluster");
        assertEquals(0, who.exit(), who.err());
        assertEquals("payments/api" + HASH + "[ReplicaSet] => payments/ledger[StatefulSet] : TCP 5432\n", who.out());
        CliRun explain = CliRun.withInput("", client, "reach", "explain", "shop-frontend/checkout" + HASH, "payments/api" + HASH, "--cluster");
        assertEquals(0, explain.exit(), explain.err());
        assertTrue(explain.out().contains("allowed by payments/api-from-checkout spec.ingress[0].from[0] : TCP 9090 (spoofable)"), explain.out());
    }

    @Test
    void theGroupViewTakesTheGuardrailsFromTheGuardrailsNamespace() {
        CliRun run = CliRun.withInput("", client, "reach", "list", "--cluster", "--by", "group");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("group:payments => group:pci-backends : TCP 8443"), run.out());
        CliRun elsewhere = CliRun.withInput("", client, "reach", "list", "--cluster", "--by", "group", "--guardrails-namespace", "nowhere");
        assertEquals(0, elsewhere.exit(), elsewhere.err());
        assertEquals("", elsewhere.out(), "no guardrails, no groups");
    }
}
