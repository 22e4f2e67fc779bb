package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.netpol.Cidr;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorldBuilderTest {

    static final String CHAIN = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              template:
                metadata: {labels: {app: web}}
                spec:
                  serviceAccountName: web-sa
                  containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: web-5d8, namespace: shop, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u1, controller: true}]}
            spec: {template: {metadata: {labels: {app: web, pod-template-hash: 5d8}}, spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-5d8-x, namespace: shop, labels: {app: web}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8, uid: u2, controller: true}]}
            spec: {containers: [{name: c, image: x}]}
            status: {podIP: 10.0.0.7, podIPs: [{ip: 10.0.0.7}, {ip: "fd00::7"}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: orphan-1, namespace: shop, labels: {app: o}, ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: u3, controller: true}]}
            spec: {containers: [{name: c, image: x}], hostNetwork: true}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly}
            spec: {jobTemplate: {spec: {template: {metadata: {labels: {app: n}}, spec: {serviceAccount: old-sa, containers: [{name: c, image: x}]}}}}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            ---
            plain: values
            """;

    @Test
    void ownedObjectsFoldIntoTheirRootOwnerWithTheirAddresses() {
        WorldBuilder b = Worlds.builder(CHAIN);
        World w = b.build();
        assertEquals(List.of(), b.problems());
        assertEquals(List.of("default/nightly[CronJob]", "shop/db[StatefulSet]", "shop/web[Deployment]"),
                w.peers().stream().map(ReachPeer::id).toList());
        ReachPeer web = w.peers().get(2);
        assertEquals(Map.of("app", "web"), web.labels(), "the root's template labels");
        assertEquals("web-sa", web.serviceAccount());
        assertEquals(List.of("10.0.0.7/32", "fd00::7/128"), web.ips().stream().map(Cidr::text).sorted().toList());
        assertEquals("http", web.ports().get(0).name());
        ReachPeer db = w.peers().get(1);
        assertEquals(Map.of("app", "o"), db.labels(), "an owner not in the input: the pod's labels under the owner's name");
        assertTrue(db.hostNetwork());
        assertEquals("old-sa", w.peers().get(0).serviceAccount(), "the deprecated serviceAccount field counts");
        assertEquals(Set.of("default", "shop"), w.namespaces().keySet());
        assertEquals(Map.of("kubernetes.io/metadata.name", "shop"), w.namespaceLabels("shop"));
    }

    @Test
    void skippedDocumentsAndHostNetworkAreWarnedAbout() {
        World w = Worlds.builder(CHAIN).build();
        assertEquals(List.of(
                "test.yaml: skipped Service shop/web (carries no pods or policies)",
                "test.yaml: skipped a document that is not a Kubernetes object (no apiVersion/kind)",
                "shop/db[StatefulSet]: uses the host network; its NetworkPolicies are evaluated as for other pods, but CNIs differ"
                        + " in whether they enforce them on host-network pods"), w.warnings());
    }

    @Test
    void twoObjectsWithOneKindNamespaceAndNameAreAProblem() {
        WorldBuilder b = new WorldBuilder();
        Worlds.objects(Worlds.deploy("shop", "a", "{app: a}")).forEach(o -> b.add("one.yaml", o));
        Worlds.objects(Worlds.deploy("shop", "a", "{app: b}")).forEach(o -> b.add("two.yaml", o));
        b.build();
        assertEquals(List.of("two.yaml: Deployment shop/a: a second Deployment named shop/a (the first is in one.yaml); keep one"),
                b.problems().stream().map(InputProblem::toString).toList());
    }

    @Test
    void aPolicyOfTheWrongShapeIsOneProblem() {
        WorldBuilder b = Worlds.builder(Worlds.policy("shop", "p", "podSelector: {}\ningress: {from: 3}\n"));
        b.build();
        assertEquals(1, b.problems().size());
        assertTrue(b.problems().get(0).toString().startsWith("test.yaml: NetworkPolicy shop/p: does not read as a NetworkPolicy"), b.problems().toString());
    }

    @Test
    void ipv6BlocksAndEgressNamedPortsToIpBlocksAreWarnedAbout() {
        World w = Worlds.world(Worlds.policy("shop", "p", "podSelector: {}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: \"fd00::/8\"}}]\n  ports: [{port: http}]\n"));
        assertEquals(List.of(
                "NetworkPolicy shop/p: spec.egress[0].to[0].ipBlock: IPv6 block fd00::/8 is evaluated for pods with IPv6 addresses, but external peers"
                        + " are IPv4 ranges only, so no external edge shows it",
                "NetworkPolicy shop/p: spec.egress[0]: a named port towards ipBlock peers resolves only against pods whose address is in the block;"
                        + " it opens nothing to external addresses"), w.warnings());
    }

    @Test
    void groupsComeFromTheCaller() {
        World w = Worlds.builder(Worlds.deploy("shop", "a", "{app: a}") + Worlds.deploy("shop", "b", "{app: b}"))
                .groups(p -> p.name().equals("a") ? Set.of("pci") : Set.of()).build();
        assertEquals(Map.of("shop/a[Deployment]", Set.of("pci")), w.groups());
    }
}
