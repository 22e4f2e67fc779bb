package io.idgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.idgate.identity.IdentityKeys;
import io.idgate.k8s.InformerNetworkPolicySource;
import io.idgate.k8s.InformerReachSource;
import io.idgate.netpol.NetworkPolicyProblems;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.Edge;
import io.idgate.reach.ExternalRange;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.Reachability;
import io.idgate.reach.WorldBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live state follows a cluster change by change (fabric8's mock API server in CRUD mode, the real
 * informers): after every pod created, deleted, relabelled or given an address, every replica added to
 * a ReplicaSet, every policy created, replaced or deleted and every namespace relabelled, what
 * {@link LiveReach#current()} answers equals the reachability of the whole world read from the same
 * informers at that moment.
 */
@EnableKubernetesMockClient(crud = true)
class LiveReachTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final IdentityKeys KEYS = io.idgate.identity.IdentityConfig.DEFAULTS.keys();
    private static final String[] NAMESPACES = {"shop", "ops"};
    private static final String[] APPS = {"web", "api", "db"};

    private InformerNetworkPolicySource policies;
    private InformerReachSource source;

    @BeforeEach
    void start() throws Exception {
        for (String ns : NAMESPACES) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).addToLabels("team", ns).endMetadata().build())
                    .createOr(r -> r.update());
        }
        policies = new InformerNetworkPolicySource(client);
        source = new InformerReachSource(client, policies);
        policies.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
        source.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        source.close();
        policies.close();
        client.pods().inAnyNamespace().delete();
        client.network().v1().networkPolicies().inAnyNamespace().delete();
    }

    @Test
    void aChainOfClusterChangesIsFollowedToWhatAWholeRebuildSees() throws Exception {
        LiveReach live = new LiveReach(source, KEYS);
        Random random = new Random(7);
        List<String> pods = new ArrayList<>();
        int ip = 1;
        for (int step = 0; step < 60; step++) {
            int action = random.nextInt(10);
            String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
            String what;
            if (action <= 3 || pods.isEmpty()) {
                String name = "p" + step;
                boolean replica = random.nextBoolean();
                Pod pod = pod(ns, name, APPS[random.nextInt(APPS.length)], replica ? "rs-" + APPS[random.nextInt(APPS.length)] : null,
                        random.nextBoolean() ? "10.0.0." + ip++ : null);
                client.pods().inNamespace(ns).resource(pod).create();
                pods.add(ns + "/" + name);
                what = "created " + ns + "/" + name + (replica ? " (a replica)" : "");
            } else if (action == 4) {
                String key = pods.remove(random.nextInt(pods.size()));
                client.pods().inNamespace(key.split("/")[0]).withName(key.split("/")[1]).delete();
                what = "deleted " + key;
            } else if (action == 5) {
                String key = pods.get(random.nextInt(pods.size()));
                String app = APPS[random.nextInt(APPS.length)];
                client.pods().inNamespace(key.split("/")[0]).withName(key.split("/")[1]).edit(p -> new PodBuilder(p).editMetadata()
                        .addToLabels("app", app).endMetadata().build());
                what = "relabelled " + key + " app=" + app;
            } else if (action == 6) {
                String key = pods.get(random.nextInt(pods.size()));
                String address = "10.0.1." + ip++;
                client.pods().inNamespace(key.split("/")[0]).withName(key.split("/")[1]).editStatus(p -> new PodBuilder(p).editOrNewStatus()
                        .withPodIPs(new PodIPBuilder().withIp(address).build()).endStatus().build());
                what = "addressed " + key + " " + address;
            } else if (action <= 8) {
                String name = "np" + random.nextInt(4);
                client.network().v1().networkPolicies().inNamespace(ns).resource(policy(ns, name, random)).createOr(r -> r.update());
                what = "policy " + ns + "/" + name;
            } else if (random.nextBoolean()) {
                client.network().v1().networkPolicies().inNamespace(ns).withName("np" + random.nextInt(4)).delete();
                what = "policy deleted in " + ns;
            } else {
                String team = random.nextBoolean() ? ns : "other";
                client.namespaces().withName(ns).edit(n -> new NamespaceBuilder(n).editMetadata().addToLabels("team", team).endMetadata().build());
                what = "namespace " + ns + " team=" + team;
            }
            awaitQuiet();
            Reachability followed = live.current();
            assertSameReach(followed, whole(), "step " + step + ": " + what);
        }
        assertTrue(live.current().world().peers().size() > 3, "the chain built a world worth comparing");
    }

    @Test
    void classesOfPodsThatLeftAreDroppedOnceTheyOutnumberTheLiving() throws Exception {
        LiveReach live = new LiveReach(source, KEYS);
        client.network().v1().networkPolicies().inNamespace("shop").resource(policy("shop", "np0", new Random(1))).create();
        for (int i = 0; i < 100; i++) { // each pod its own class (its own address); at most two alive at a time
            client.pods().inNamespace("shop").resource(pod("shop", "c" + i, "web", null, "10.0.2." + (i % 250 + 1))).create();
            if (i >= 2) {
                client.pods().inNamespace("shop").withName("c" + (i - 2)).delete();
            }
            live.current(); // whatever the informers have seen so far
        }
        awaitQuiet();
        Reachability r = live.current();
        assertEquals(2, r.world().peers().size());
        assertTrue(r.classCount() <= 2 + 65 && r.classCount() < 100, "classes kept: " + r.classCount());
        assertSameReach(r, whole(), "after the churn");
    }

    /** The reachability of the whole world the informers hold now, built from scratch. */
    private Reachability whole() {
        WorldBuilder builder = new WorldBuilder();
        source.podsAndNamespaces().forEach(o -> builder.add("cluster", o));
        List<PolicyRules> rules = new ArrayList<>();
        for (NetworkPolicy np : source.networkPolicies()) {
            if (NetworkPolicyProblems.of(np).isEmpty()) {
                rules.add(PolicyRules.of(np));
            }
        }
        return Reachability.of(builder.build().withPolicies(rules), KEYS);
    }

    /**
     * Waits until the informers have seen the change just made: the version moved and then stayed put a
     * while (bounded). Both sides of a comparison read the same informers, so a late event makes a step
     * compare less, never wrongly.
     */
    private void awaitQuiet() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1); // a change reach does not see never moves it
        long seen = source.version();
        int stable = -1; // not moved yet
        while (System.nanoTime() < deadline && stable < 2) {
            Thread.sleep(20);
            long now = source.version();
            stable = now != seen ? 0 : stable < 0 ? -1 : stable + 1;
            seen = now;
        }
    }

    /** Same peers and connections (all and strict, as the spoofable mark shows) between peers and with every outside address. */
    private static void assertSameReach(Reachability followed, Reachability whole, String what) {
        assertEquals(whole.world().peers(), followed.world().peers(), what + ": peers");
        assertEquals(whole.world().policies(), followed.world().policies(), what + ": policies");
        assertEquals(whole.world().namespaces(), followed.world().namespaces(), what + ": namespaces");
        Map<String, Edge> expected = peerEdges(whole);
        assertEquals(expected, peerEdges(followed), what + ": edges between peers");
        for (ExternalRange range : followed.externals()) {
            ExternalRange outer = whole.externals().stream().filter(e -> e.contains(range.first())).findFirst().orElseThrow();
            for (ReachPeer p : whole.world().peers()) {
                assertEquals(whole.connections(outer.id(), p.id()), followed.connections(range.id(), p.id()), what + ": " + range.id() + " => " + p.id());
                assertEquals(whole.connections(p.id(), outer.id()), followed.connections(p.id(), range.id()), what + ": " + p.id() + " => " + range.id());
            }
        }
    }

    private static Map<String, Edge> peerEdges(Reachability r) {
        Map<String, Edge> out = new TreeMap<>();
        r.forEachEdge(e -> {
            if (!e.src().endsWith("[External]") && !e.dst().endsWith("[External]")) {
                out.put(e.src() + " => " + e.dst(), e);
            }
        });
        return out;
    }

    private static Pod pod(String ns, String name, String app, String owner, String address) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", app).endMetadata()
                .withNewSpec().withServiceAccountName("sa-" + app).addNewContainer().withName("c").withImage("x").addNewPort().withName("http")
                .withContainerPort(8080).endPort().endContainer().endSpec();
        if (owner != null) {
            b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName(owner)
                    .withUid(owner).withController(true).build()).endMetadata();
        }
        if (address != null) {
            b.withNewStatus().withPodIPs(new PodIPBuilder().withIp(address).build()).endStatus();
        }
        return b.build();
    }

    /** A policy of random shape: ingress and/or egress, from pods, namespaces or blocks (new CIDR bounds cut the outside anew). */
    private static NetworkPolicy policy(String ns, String name, Random random) {
        String peer = switch (random.nextInt(4)) {
            case 0 -> "{\"podSelector\":{\"matchLabels\":{\"app\":\"" + APPS[random.nextInt(APPS.length)] + "\"}}}";
            case 1 -> "{\"namespaceSelector\":{\"matchLabels\":{\"team\":\"" + NAMESPACES[random.nextInt(NAMESPACES.length)] + "\"}}}";
            case 2 -> "{\"ipBlock\":{\"cidr\":\"10.0." + random.nextInt(3) + ".0/" + (24 + random.nextInt(5)) + "\"}}";
            default -> "{\"podSelector\":{}}";
        };
        String rule = "[{\"" + (random.nextBoolean() ? "from" : "to") + "\":[" + peer + "],\"ports\":[{\"port\":" + (random.nextBoolean() ? "\"http\"" : "8080")
                + "}]}]";
        boolean egress = rule.contains("\"to\"");
        String json = "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
                + "\"},\"spec\":{\"podSelector\":" + (random.nextBoolean() ? "{}" : "{\"matchLabels\":{\"app\":\"" + APPS[random.nextInt(APPS.length)] + "\"}}")
                + ",\"policyTypes\":[\"" + (egress ? "Egress" : "Ingress") + "\"],\"" + (egress ? "egress" : "ingress") + "\":" + rule + "}}";
        return client.getKubernetesSerialization().unmarshal(json, NetworkPolicy.class);
    }
}
