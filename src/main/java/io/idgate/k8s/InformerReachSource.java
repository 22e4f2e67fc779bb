package io.idgate.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The live reachability world: informers on pods and namespaces whose stores keep only what reach
 * reads (labels, namespace, ServiceAccount, controller owner, container ports, IPs, hostNetwork,
 * phase), plus the NetworkPolicies idgate already watches. A whole Pod is several KiB; a slim one a
 * few hundred bytes (a record of arrays, shared strings interned: fabric8's model objects carry maps
 * and lists even when empty), and the full object is dropped as soon as the event is handled.
 *
 * <p>The version moves only when a slim object changes, so the status churn of running pods
 * (conditions, restarts) does not make the world stale; finished pods (Succeeded, Failed) are left
 * out of the world, as they hold no connections.
 */
public final class InformerReachSource implements ReachSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InformerReachSource.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final AtomicLong version = new AtomicLong();
    /** Pods changed since LiveReach last asked; bounded: past {@link #MAX_CHANGED} it is told to start from scratch. */
    private final Set<String> changedPods = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean fromScratch = new AtomicBoolean(true);
    private static final int MAX_CHANGED = 20_000;
    private final SlimStore<Pod, SlimPod> pods = new SlimStore<>(InformerReachSource::slim, SlimPod::sameAs,
            s -> new PodBuilder().withNewMetadata().withName(s.name()).withNamespace(s.namespace()).withResourceVersion(s.resourceVersion())
                    .endMetadata().build(), key -> {
                if (changedPods.size() >= MAX_CHANGED) {
                    fromScratch.set(true);
                    changedPods.clear();
                } else {
                    changedPods.add(key);
                }
                version.incrementAndGet();
            });
    private final SlimStore<Namespace, SlimNamespace> namespaces = new SlimStore<>(InformerReachSource::slim,
            (a, b) -> Arrays.equals(a.labels(), b.labels()),
            s -> new NamespaceBuilder().withNewMetadata().withName(s.name()).withResourceVersion(s.resourceVersion()).endMetadata().build(), key -> {
                fromScratch.set(true);
                version.incrementAndGet();
            });
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
        List<ObjectNode> out = new ArrayList<>(namespaces());
        out.addAll(pods());
        return out;
    }

    @Override
    public List<ObjectNode> namespaces() {
        return namespaces.slimValues().map(InformerReachSource::node).toList();
    }

    @Override
    public List<ObjectNode> pods() {
        return pods.slimValues().filter(InformerReachSource::running).map(InformerReachSource::node).toList();
    }

    /** Finished pods (Succeeded, Failed) hold no connections. */
    private static boolean running(SlimPod p) {
        return !"Succeeded".equals(p.phase()) && !"Failed".equals(p.phase());
    }

    @Override
    public Set<String> drainChangedPods() {
        boolean all = fromScratch.getAndSet(false);
        Set<String> out = new HashSet<>();
        for (Iterator<String> it = changedPods.iterator(); it.hasNext();) {
            out.add(it.next());
            it.remove();
        }
        return all ? null : out;
    }

    @Override
    public ObjectNode pod(String key) {
        SlimPod p = pods.items.get(key);
        return p == null || !running(p) ? null : node(p);
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

    /**
     * A pod as reach reads it. Strings many pods share (label keys and values, namespace,
     * ServiceAccount, owner, ports) are interned, so a Deployment's replicas share them.
     *
     * @param labels key, value, key, value, ... sorted by key
     * @param ports  per container port: name (or ""), protocol, number
     */
    record SlimPod(String namespace, String name, String resourceVersion, String[] labels, String serviceAccount, String ownerKind,
                   String ownerName, String[] ports, String[] ips, boolean hostNetwork, String phase) {

        /** Equal for reach (the resourceVersion aside). */
        boolean sameAs(SlimPod o) {
            return Arrays.equals(labels, o.labels) && Objects.equals(serviceAccount, o.serviceAccount) && Objects.equals(ownerKind, o.ownerKind)
                    && Objects.equals(ownerName, o.ownerName) && Arrays.equals(ports, o.ports) && Arrays.equals(ips, o.ips)
                    && hostNetwork == o.hostNetwork && Objects.equals(phase, o.phase);
        }
    }

    /** A namespace as reach reads it: its labels. */
    record SlimNamespace(String name, String resourceVersion, String[] labels) {}

    /** The fields reach reads, nothing else (resourceVersion: the informer compares it on relists). */
    static SlimPod slim(Pod p) {
        var meta = p.getMetadata();
        String ownerKind = null;
        String ownerName = null;
        if (meta.getOwnerReferences() != null) {
            for (OwnerReference o : meta.getOwnerReferences()) {
                if (Boolean.TRUE.equals(o.getController())) {
                    ownerKind = intern(o.getKind());
                    ownerName = intern(o.getName());
                    break;
                }
            }
        }
        List<String> ports = new ArrayList<>();
        var spec = p.getSpec();
        if (spec != null) {
            Stream.concat(Stream.ofNullable(spec.getInitContainers()).flatMap(List::stream), Stream.ofNullable(spec.getContainers()).flatMap(List::stream))
                    .flatMap(c -> Stream.ofNullable(c.getPorts()).flatMap(List::stream)).forEach(port -> {
                        ports.add(intern(port.getName() == null ? "" : port.getName()));
                        ports.add(intern(port.getProtocol() == null ? "TCP" : port.getProtocol()));
                        ports.add(intern(String.valueOf(port.getContainerPort())));
                    });
        }
        var status = p.getStatus();
        String[] ips = status == null || status.getPodIPs() == null ? NONE
                : status.getPodIPs().stream().map(PodIP::getIp).filter(Objects::nonNull).toArray(String[]::new);
        return new SlimPod(intern(meta.getNamespace()), meta.getName(), meta.getResourceVersion(), labels(meta.getLabels()),
                intern(spec == null ? null : spec.getServiceAccountName()), ownerKind, ownerName, ports.isEmpty() ? NONE : ports.toArray(String[]::new),
                ips.length == 0 ? NONE : ips, spec != null && Boolean.TRUE.equals(spec.getHostNetwork()), intern(status == null ? null : status.getPhase()));
    }

    static SlimNamespace slim(Namespace n) {
        return new SlimNamespace(n.getMetadata().getName(), n.getMetadata().getResourceVersion(), labels(n.getMetadata().getLabels()));
    }

    private static final String[] NONE = new String[0];

    private static String[] labels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return NONE;
        }
        String[] out = new String[2 * labels.size()];
        int i = 0;
        for (var e : new java.util.TreeMap<>(labels).entrySet()) {
            out[i++] = intern(e.getKey());
            out[i++] = intern(e.getValue());
        }
        return out;
    }

    private static String intern(String s) {
        return s == null ? null : s.intern();
    }

    /** The slim pod as the object {@code WorldBuilder} reads (the fields it looks at, by their API names). */
    static ObjectNode node(SlimPod p) {
        ObjectNode o = JSON.objectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = o.putObject("metadata").put("name", p.name()).put("namespace", p.namespace());
        labels(meta, p.labels());
        if (p.ownerKind() != null) {
            meta.putArray("ownerReferences").addObject().put("kind", p.ownerKind()).put("name", p.ownerName()).put("controller", true);
        }
        ObjectNode spec = o.putObject("spec");
        if (p.serviceAccount() != null) {
            spec.put("serviceAccountName", p.serviceAccount());
        }
        spec.put("hostNetwork", p.hostNetwork());
        ArrayNode ports = spec.putArray("containers").addObject().putArray("ports");
        for (int i = 0; i < p.ports().length; i += 3) {
            ObjectNode n = ports.addObject().put("protocol", p.ports()[i + 1]).put("containerPort", Integer.parseInt(p.ports()[i + 2]));
            if (!p.ports()[i].isEmpty()) {
                n.put("name", p.ports()[i]);
            }
        }
        ArrayNode ips = o.putObject("status").putArray("podIPs");
        for (String ip : p.ips()) {
            ips.addObject().put("ip", ip);
        }
        return o;
    }

    static ObjectNode node(SlimNamespace n) {
        ObjectNode o = JSON.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
        labels(o.putObject("metadata").put("name", n.name()), n.labels());
        return o;
    }

    private static void labels(ObjectNode meta, String[] labels) {
        ObjectNode l = meta.putObject("labels");
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
    }

    /**
     * An informer store that keeps the slim form {@code S} of each object and bumps {@code version}
     * when it changed (an add, a delete, or a change of a field reach reads). The informer itself only
     * needs name and resourceVersion back ({@code restore}), to tell changed objects on a relist.
     */
    static final class SlimStore<T extends HasMetadata, S> implements ItemStore<T> {
        private final Map<String, S> items = new ConcurrentHashMap<>();
        private final Function<T, S> slim;
        private final BiPredicate<S, S> same;
        private final Function<S, T> restore;
        private final Consumer<String> changed;

        /** @param changed told the key of each object added, removed or changed in a field reach reads, after the change */
        SlimStore(Function<T, S> slim, BiPredicate<S, S> same, Function<S, T> restore, Consumer<String> changed) {
            this.slim = slim;
            this.same = same;
            this.restore = restore;
            this.changed = changed;
        }

        @Override
        public String getKey(T obj) {
            var m = obj.getMetadata();
            return m.getNamespace() == null ? m.getName() : m.getNamespace() + "/" + m.getName();
        }

        @Override
        public T put(String key, T obj) {
            S s = slim.apply(obj);
            S old = items.put(key, s);
            if (old == null || !same.test(old, s)) {
                changed.accept(key);
            }
            return old == null ? null : restore.apply(old);
        }

        @Override
        public T remove(String key) {
            S old = items.remove(key);
            if (old == null) {
                return null;
            }
            changed.accept(key);
            return restore.apply(old);
        }

        @Override
        public Stream<String> keySet() {
            return items.keySet().stream();
        }

        @Override
        public Stream<T> values() {
            return items.values().stream().map(restore);
        }

        Stream<S> slimValues() {
            return items.values().stream();
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public T get(String key) {
            S s = items.get(key);
            return s == null ? null : restore.apply(s);
        }

        /** Holds slim objects, not the API server's: notifications carry only name and resourceVersion as the old object. */
        @Override
        public boolean isFullState() {
            return false;
        }
    }
}
