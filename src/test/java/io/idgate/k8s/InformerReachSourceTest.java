package io.idgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.WorldBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The slim pods of the live reachability world: what is kept, what is dropped, when the world goes stale. */
class InformerReachSourceTest {

    private static Pod pod(String name, String rv, String phase, Map<String, String> labels) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("shop").withResourceVersion(rv).withLabels(labels)
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "x".repeat(2000))
                .addNewOwnerReference().withKind("ReplicaSet").withName("web-5d8f").withController(true).withApiVersion("apps/v1").withUid("u1").endOwnerReference()
                .addNewManagedField().withManager("kubectl").endManagedField().endMetadata()
                .withNewSpec().withServiceAccountName("web").withNodeName("node-1")
                .addNewContainer().withName("app").withImage("registry.example.com/web:1").addToArgs("--serve")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .addNewEnv().withName("A").withValue("b").endEnv().endContainer().endSpec()
                .withNewStatus().withPhase(phase).addNewPodIP("10.1.2.3").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build();
    }

    @Test
    void aSlimPodKeepsWhatReachReadsAndNothingElse() {
        InformerReachSource.SlimPod slim = InformerReachSource.slim(pod("web-1", "1", "Running", Map.of("app", "web")));
        // a record of the read fields only: annotations, managedFields, image, env, nodeName, conditions have no place in it
        assertEquals(11, InformerReachSource.SlimPod.class.getRecordComponents().length);
        ReachPeer peer = new WorldBuilder().add("cluster", InformerReachSource.node(slim)).build().peers().get(0);
        assertEquals("shop/web-5d8f[ReplicaSet]", peer.id());
        assertEquals("shop/web[ServiceAccount]", peer.identityId());
        assertEquals(Map.of("app", "web"), peer.labels());
        assertEquals("http", peer.ports().get(0).name());
        assertEquals(8080, peer.ports().get(0).number());
        assertEquals("10.1.2.3/32", peer.ips().get(0).text());
    }

    @Test
    void onlyAChangeReachSeesMakesTheWorldStale() {
        AtomicLong version = new AtomicLong();
        List<String> told = new ArrayList<>();
        var store = new InformerReachSource.SlimStore<Pod, InformerReachSource.SlimPod>(InformerReachSource::slim,
                InformerReachSource.SlimPod::sameAs, s -> new PodBuilder().withNewMetadata().withName(s.name()).withResourceVersion(s.resourceVersion())
                        .endMetadata().build(), key -> {
                            told.add(key);
                            version.incrementAndGet();
                        });
        store.put("shop/web-1", pod("web-1", "1", "Running", Map.of("app", "web")));
        assertEquals(1, version.get());
        assertEquals("1", store.get("shop/web-1").getMetadata().getResourceVersion()); // what the informer compares on a relist
        store.put("shop/web-1", pod("web-1", "2", "Running", Map.of("app", "web"))); // status heartbeat, same slim pod
        assertEquals(1, version.get());
        store.put("shop/web-1", pod("web-1", "3", "Running", Map.of("app", "web", "tier", "front")));
        assertEquals(2, version.get());
        store.remove("shop/web-1");
        assertEquals(3, version.get());
        assertEquals(List.of("shop/web-1", "shop/web-1", "shop/web-1"), told);
        assertNull(store.get("shop/web-1"));
    }
}
