package io.idgate.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The live reachability world: informers on pods and namespaces whose stores keep only what reach
 * reads (labels, namespace, ServiceAccount, controller owner, container ports, IPs, hostNetwork,
 * phase), plus the NetworkPolicies idgate already watches. A whole Pod is several KiB; a slim one a
 * few hundred bytes, and the full object is dropped as soon as the event is handled.
 *
 * <p>The version moves only when a slim object changes, so the status churn of running pods
 * (conditions, restarts) does not make the world stale; finished pods (Succeeded, Failed) are left
 * out of the world, as they hold no connections.
 */
public final class InformerReachSource implements ReachSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InformerReachSource.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final AtomicLong version = new AtomicLong();
    private final SlimStore<Pod> pods = new SlimStore<>(InformerReachSource::slim, InformerReachSource::samePod, version);
    private final SlimStore<Namespace> namespaces = new SlimStore<>(InformerReachSource::slim,
            (a, b) -> Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels()), version);
    private final SharedIndexInformer<Pod> podInformer;
    private final SharedIndexInformer<Namespace> namespaceInformer;
    private final InformerNetworkPolicySource policies;

    public InformerReachSource(KubernetesClient client, InformerNetworkPolicySource policies) {
        this.policies = policies;
        this.podInformer = client.pods().inAnyNamespace().runnableInformer(0).itemStore(pods);
        this.namespaceInformer = client.namespaces().runnableInformer(0).itemStore(namespaces);
        // the default namespace index would hold a second reference per pod; nothing here looks pods up by namespace
        podInformer.removeNamespaceIndex();
        namespaceInformer.removeNamespaceIndex();
        for (var informer : List.of(podInformer, namespaceInformer)) {
            informer.exceptionHandler((started, t) -> {
                LOG.warnf("%s watch failed (%s); retrying", informer.getApiTypeClass().getSimpleName(), t.getMessage());
                return true;
            });
        }
    }

    public CompletionStage<Void> start() {
        return CompletableFuture.allOf(podInformer.start().toCompletableFuture(), namespaceInformer.start().toCompletableFuture());
    }

    @Override
    public long version() {
        return version.get() + policies.version();
    }

    @Override
    public List<ObjectNode> podsAndNamespaces() {
        List<ObjectNode> out = new ArrayList<>(pods.size() + namespaces.size());
        namespaces.values().forEach(n -> out.add(node(n)));
        pods.values().filter(p -> !"Succeeded".equals(phase(p)) && !"Failed".equals(phase(p))).forEach(p -> out.add(node(p)));
        return out;
    }

    @Override
    public List<NetworkPolicy> networkPolicies() {
        return policies.all();
    }

    @Override
    public boolean synced() {
        return podInformer.hasSynced() && namespaceInformer.hasSynced();
    }

    /** Pods held now (for figures). */
    public int podCount() {
        return pods.size();
    }

    @Override
    public void close() {
        podInformer.close();
        namespaceInformer.close();
    }

    /** The fields reach reads, nothing else (resourceVersion: the informer compares it on relists). */
    static Pod slim(Pod p) {
        var meta = p.getMetadata();
        List<OwnerReference> owners = new ArrayList<>();
        if (meta.getOwnerReferences() != null) {
            for (OwnerReference o : meta.getOwnerReferences()) {
                if (Boolean.TRUE.equals(o.getController())) {
                    owners.add(new OwnerReferenceBuilder().withKind(o.getKind()).withName(o.getName()).withController(true).build());
                }
            }
        }
        List<Container> containers = new ArrayList<>();
        if (p.getSpec() != null) {
            Stream.concat(Stream.ofNullable(p.getSpec().getInitContainers()).flatMap(List::stream),
                    Stream.ofNullable(p.getSpec().getContainers()).flatMap(List::stream)).forEach(c -> {
                        if (c.getPorts() != null && !c.getPorts().isEmpty()) {
                            containers.add(new ContainerBuilder().withPorts(c.getPorts().stream().map(port -> new ContainerPort(
                                    port.getContainerPort(), null, null, port.getName(), port.getProtocol())).toList()).build());
                        }
                    });
        }
        var spec = p.getSpec();
        var status = p.getStatus();
        List<PodIP> ips = status == null || status.getPodIPs() == null ? List.of()
                : status.getPodIPs().stream().map(ip -> new PodIP(ip.getIp())).toList();
        return new PodBuilder()
                .withNewMetadata().withName(meta.getName()).withNamespace(meta.getNamespace()).withResourceVersion(meta.getResourceVersion())
                .withLabels(meta.getLabels()).withOwnerReferences(owners).endMetadata()
                .withNewSpec().withServiceAccountName(spec == null ? null : spec.getServiceAccountName())
                .withHostNetwork(spec == null ? null : spec.getHostNetwork()).withContainers(containers).endSpec()
                .withNewStatus().withPhase(status == null ? null : status.getPhase()).withPodIPs(ips).endStatus()
                .build();
    }

    private static boolean samePod(Pod a, Pod b) {
        return Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
                && Objects.equals(a.getMetadata().getOwnerReferences(), b.getMetadata().getOwnerReferences())
                && Objects.equals(a.getSpec(), b.getSpec()) && Objects.equals(a.getStatus(), b.getStatus());
    }

    static Namespace slim(Namespace n) {
        return new NamespaceBuilder().withNewMetadata().withName(n.getMetadata().getName())
                .withResourceVersion(n.getMetadata().getResourceVersion()).withLabels(n.getMetadata().getLabels()).endMetadata().build();
    }

    private static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    /** The slim pod as the object {@code WorldBuilder} reads (the fields it looks at, by their API names). */
    static ObjectNode node(Pod p) {
        ObjectNode o = JSON.objectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = o.putObject("metadata").put("name", p.getMetadata().getName()).put("namespace", p.getMetadata().getNamespace());
        labels(meta, p.getMetadata().getLabels());
        ArrayNode refs = meta.putArray("ownerReferences");
        for (OwnerReference r : p.getMetadata().getOwnerReferences()) {
            refs.addObject().put("kind", r.getKind()).put("name", r.getName()).put("controller", true);
        }
        ObjectNode spec = o.putObject("spec");
        if (p.getSpec().getServiceAccountName() != null) {
            spec.put("serviceAccountName", p.getSpec().getServiceAccountName());
        }
        spec.put("hostNetwork", Boolean.TRUE.equals(p.getSpec().getHostNetwork()));
        ArrayNode containers = spec.putArray("containers");
        for (Container c : p.getSpec().getContainers()) {
            ArrayNode ports = containers.addObject().putArray("ports");
            for (ContainerPort port : c.getPorts()) {
                ObjectNode n = ports.addObject();
                if (port.getContainerPort() != null) {
                    n.put("containerPort", port.getContainerPort());
                }
                if (port.getName() != null) {
                    n.put("name", port.getName());
                }
                if (port.getProtocol() != null) {
                    n.put("protocol", port.getProtocol());
                }
            }
        }
        ArrayNode ips = o.putObject("status").putArray("podIPs");
        p.getStatus().getPodIPs().forEach(ip -> ips.addObject().put("ip", ip.getIp()));
        return o;
    }

    static ObjectNode node(Namespace n) {
        ObjectNode o = JSON.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
        labels(o.putObject("metadata").put("name", n.getMetadata().getName()), n.getMetadata().getLabels());
        return o;
    }

    private static void labels(ObjectNode meta, Map<String, String> labels) {
        ObjectNode l = meta.putObject("labels");
        if (labels != null) {
            labels.forEach(l::put);
        }
    }

    /**
     * An informer store that keeps the slim form of each object and bumps {@code version} when the
     * slim form changed (an add, a delete, or a change of a field reach reads).
     */
    static final class SlimStore<T extends HasMetadata> implements ItemStore<T> {
        private final Map<String, T> items = new ConcurrentHashMap<>();
        private final UnaryOperator<T> slim;
        private final BiPredicate<T, T> same;
        private final AtomicLong version;

        SlimStore(UnaryOperator<T> slim, BiPredicate<T, T> same, AtomicLong version) {
            this.slim = slim;
            this.same = same;
            this.version = version;
        }

        @Override
        public String getKey(T obj) {
            var m = obj.getMetadata();
            return m.getNamespace() == null ? m.getName() : m.getNamespace() + "/" + m.getName();
        }

        @Override
        public T put(String key, T obj) {
            T s = slim.apply(obj);
            T old = items.put(key, s);
            if (old == null || !same.test(old, s)) {
                version.incrementAndGet();
            }
            return old;
        }

        @Override
        public T remove(String key) {
            T old = items.remove(key);
            if (old != null) {
                version.incrementAndGet();
            }
            return old;
        }

        @Override
        public Stream<String> keySet() {
            return items.keySet().stream();
        }

        @Override
        public Stream<T> values() {
            return items.values().stream();
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public T get(String key) {
            return items.get(key);
        }

        /** Holds slim objects, not the API server's: update notifications carry the slim old object. */
        @Override
        public boolean isFullState() {
            return false;
        }
    }
}
