package io.idgate.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.engine.LiveReach;
import io.idgate.identity.IdentityConfig;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.Reachability;
import io.idgate.reach.ScaleWorlds;
import io.idgate.reach.Views;
import io.idgate.testing.Timings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live reachability state's heap, in process and in seconds (the e2e {@code ReachMemoryBench} takes
 * minutes and reads RSS): the slim pods of {@code ReachMemoryBench}'s pods in a store like the
 * informer's, then {@link LiveReach} following them and the scale world's policies as the bench's
 * admission does (each policy previewed, then stored). Prints the live heap the store and the state hold
 * after a full GC, and with {@code -Dhistogram=PREFIX} the class histograms before and after the state was built.
 *
 * <p>{@code bench/live-reach-footprint.sh [-Dhistogram=PREFIX] [-Dpods=N] [-Dpolicies=N]}
 */
public final class LiveReachFootprint {

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final int NAMESPACES = 50;
    private static final int SERVICE_ACCOUNTS = 20;

    private LiveReachFootprint() {}

    /** The pods of the cluster: slim, as the informer's store keeps them. */
    static final class Source implements ReachSource {
        final Map<String, InformerReachSource.SlimPod> pods = new ConcurrentHashMap<>();
        final List<ObjectNode> namespaces = new ArrayList<>();
        final Map<String, NetworkPolicy> policies = new ConcurrentHashMap<>();
        final Set<String> changed = ConcurrentHashMap.newKeySet();
        final AtomicLong version = new AtomicLong();

        void put(Pod p) {
            String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            pods.put(key, InformerReachSource.slim(p));
            changed.add(key);
            version.incrementAndGet();
        }

        void put(NetworkPolicy np) {
            policies.put(np.getMetadata().getNamespace() + "/" + np.getMetadata().getName(), np);
            version.incrementAndGet();
        }

        @Override
        public long version() {
            return version.get();
        }

        @Override
        public List<ObjectNode> podsAndNamespaces() {
            List<ObjectNode> out = new ArrayList<>(namespaces);
            out.addAll(pods());
            return out;
        }

        @Override
        public List<ObjectNode> namespaces() {
            return namespaces;
        }

        @Override
        public List<ObjectNode> pods() {
            return pods.values().stream().map(InformerReachSource::node).toList();
        }

        @Override
        public Set<String> drainChangedPods() {
            Set<String> out = new HashSet<>(changed);
            changed.removeAll(out);
            return out;
        }

        @Override
        public ObjectNode pod(String key) {
            var p = pods.get(key);
            return p == null ? null : InformerReachSource.node(p);
        }

        @Override
        public List<NetworkPolicy> networkPolicies() {
            return List.copyOf(policies.values());
        }

        @Override
        public boolean synced() {
            return true;
        }
    }

    public static void main(String[] args) throws Exception {
        int podCount = Integer.getInteger("pods", 5000);
        int policyCount = Integer.getInteger("policies", 500);
        List<ObjectNode> world = new ArrayList<>();
        try (var it = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readerFor(ObjectNode.class).<ObjectNode>readValues(
                ScaleWorlds.yaml(podCount, policyCount, 1, true))) {
            it.forEachRemaining(world::add);
        }
        Source source = new Source();
        List<NetworkPolicy> policies = new ArrayList<>();
        for (ObjectNode o : world) {
            switch (o.path("kind").asText()) {
                case "Namespace" -> source.namespaces.add(InformerReachSource.node(InformerReachSource.slim(MAPPER.convertValue(o,
                        io.fabric8.kubernetes.api.model.Namespace.class))));
                case "NetworkPolicy" -> policies.add(MAPPER.convertValue(o, NetworkPolicy.class));
                default -> { }
            }
        }
        for (int n = 0; n < podCount; n++) {
            String ns = "ns" + (n % NAMESPACES);
            String sa = "sa" + (n % SERVICE_ACCOUNTS);
            Map<String, String> labels = new TreeMap<>(Map.of("app", "w" + n, "tier", "t" + (n % 5), "idgate.io/namespace", ns,
                    "idgate.io/service-account", sa, "idgate.io/spiffe-id", "sha256-" + Integer.toHexString((ns + sa).hashCode()) + "abcdefghijklmnopqrstuv"));
            source.put(new PodBuilder().withNewMetadata().withName("w" + n).withNamespace(ns).withResourceVersion(String.valueOf(1000 + n))
                    .withLabels(labels).endMetadata().withNewSpec().withServiceAccountName(sa).addNewContainer().withName("app")
                    .addNewPort().withName("http").withContainerPort(8000 + n % 3).withProtocol("TCP").endPort().endContainer().endSpec().build());
        }
        world = null; // the manifests are not part of the figure
        long storeOnly = liveHeap();
        histogram("before");
        LiveReach live = new LiveReach(source, IdentityConfig.DEFAULTS.keys());
        long t0 = System.nanoTime();
        live.current(); // the pods: one follow of every pod (the bench's first policy review meets them all)
        long followPods = System.nanoTime() - t0;
        List<Long> follow = new ArrayList<>();
        List<Long> preview = new ArrayList<>();
        for (NetworkPolicy np : policies) {
            long t1 = System.nanoTime();
            Reachability before = live.current();
            long t2 = System.nanoTime();
            Reachability.PolicyChange change = before.withPolicy(PolicyRules.of(np));
            Views.IdentityDelta delta = new Views.IdentityDelta(change);
            change.forEachChange(delta::accept);
            delta.diff();
            preview.add(System.nanoTime() - t2);
            follow.add(t2 - t1);
            source.put(np);
        }
        live.current();
        long seconds = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("follow the pods %d ms; per policy review: follow %s, preview %s%n", followPods / 1_000_000, Timings.of(follow), Timings.of(preview));
        long withState = liveHeap();
        System.out.printf("pods %d, policies %d: store %.1f MiB; live state %.2f MiB (%.0f bytes a pod); replay %d ms%n", podCount, policyCount,
                storeOnly / 1048576.0, (withState - storeOnly) / 1048576.0, (withState - storeOnly) / (double) podCount, seconds);
        histogram("after");
        System.out.println(live.current().world().peers().size() + " peers"); // keeps the state reachable up to here
    }

    /** With {@code -Dhistogram=PREFIX}: the heap's classes by bytes in {@code PREFIX-<when>.txt}. */
    private static void histogram(String when) throws Exception {
        String prefix = System.getProperty("histogram");
        if (prefix != null) {
            Process p = new ProcessBuilder("jcmd", String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
            Files.write(Path.of(prefix + "-" + when + ".txt"), p.getInputStream().readAllBytes());
            p.waitFor();
        }
    }

    private static long liveHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
