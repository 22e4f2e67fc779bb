package io.idgate.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.identity.IdentityKeys;
import io.idgate.k8s.ReachSource;
import io.idgate.netpol.NetworkPolicyProblems;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.Reachability;
import io.idgate.reach.World;
import io.idgate.reach.WorldBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The reachability of the world as it is now, for the admission preview, the invariants and the API.
 *
 * <p>Staleness: every pod, namespace or policy change reach can see moves {@link ReachSource#version()};
 * {@link #current()} compares it with the version its state was built from and, when they differ,
 * brings the state up to date. Lazy, so a quiet cluster computes nothing and a busy one at most once
 * per judgement. One update at a time; judgements racing it wait for it rather than make their own.
 *
 * <p>A source that tells which pods changed (the cluster's informers) is followed change by change: the
 * peers of the changed pods are rebuilt from their pods alone ({@link WorldBuilder}, as for the whole
 * world), the reachability state derived from the last one ({@link Reachability#withPeers}), and each
 * changed policy applied ({@link Reachability#afterPolicy}). This keeps a pod CREATE judged against the
 * world of the pod created just before it cheap, and the garbage of whole-world rebuilds out of the
 * heap. A namespace change, or a source that does not tell, rebuilds the whole world.
 */
public final class LiveReach {

    /** More policy changes than this at once (a relist, a bulk apply) rebuild the whole state. */
    private static final int MAX_POLICY_STEPS = 32;

    /**
     * What the state was built from: the version, and for a source followed change by change the
     * peer each pod is part of, the pods of each peer (sorted keys: most peers have one or a few, and a
     * set per peer cost more than the peer), the peers, and the policies by id.
     */
    private record State(long version, Reachability reach, Map<String, String> peerOfPod, Map<String, String[]> podsOfPeer,
                         TreeMap<String, ReachPeer> peers, Map<String, NetworkPolicy> policies) {}

    private final ReachSource source;
    private final IdentityKeys keys;
    private final UnaryOperator<World> stamp;
    private final boolean follows;
    private volatile State state;

    /** A cluster's world: its pods carry the identity labels idgate's webhook stamped. */
    public LiveReach(ReachSource source, IdentityKeys keys) {
        this(source, keys, UnaryOperator.identity(), true);
    }

    /**
     * @param stamp labels each peer as the webhook would (manifests: nobody stamped them; see
     *              {@link ReachWorlds#stamped}); the world is then always rebuilt whole
     */
    public LiveReach(ReachSource source, IdentityKeys keys, UnaryOperator<World> stamp) {
        this(source, keys, stamp, false);
    }

    private LiveReach(ReachSource source, IdentityKeys keys, UnaryOperator<World> stamp, boolean follows) {
        this.source = source;
        this.keys = keys;
        this.stamp = stamp;
        this.follows = follows;
    }

    public IdentityKeys keys() {
        return keys;
    }

    /** The reachability of the current world; brought up to date first when something changed since. */
    public Reachability current() {
        State s = state;
        if (s != null && s.version() == source.version()) {
            return s.reach();
        }
        synchronized (this) {
            s = state;
            long version = source.version(); // read before the changes: a change after this makes the next call update again
            if (s == null || s.version() != version) {
                Set<String> changedPods = follows ? source.drainChangedPods() : null;
                State before = s;
                state = null; // an update that fails leaves no half-updated state behind: the next call rebuilds
                s = before == null || changedPods == null || before.peers() == null ? rebuilt(version) : followed(before, version, changedPods);
                state = s;
            }
            return s.reach();
        }
    }

    public boolean synced() {
        return source.synced();
    }

    private State rebuilt(long version) {
        Map<String, NetworkPolicy> stored = policiesById();
        List<PolicyRules> policies = new ArrayList<>();
        stored.values().forEach(np -> policies.add(rules(np)));
        policies.removeIf(java.util.Objects::isNull);
        if (!follows) {
            WorldBuilder builder = new WorldBuilder();
            source.podsAndNamespaces().forEach(o -> builder.add("cluster", o));
            return new State(version, Reachability.of(stamp.apply(builder.build().withPolicies(policies)), keys), null, null, null, null);
        }
        Map<String, String> peerOfPod = new HashMap<>();
        Map<String, String[]> podsOfPeer = new HashMap<>();
        Map<String, ObjectNode> pods = new HashMap<>();
        for (ObjectNode pod : source.pods()) {
            String key = key(pod);
            String peer = WorldBuilder.peerIdOf(pod);
            pods.put(key, pod);
            peerOfPod.put(key, peer);
            podsOfPeer.merge(peer, new String[] {key}, (had, one) -> with(had, key));
        }
        TreeMap<String, ReachPeer> peers = new TreeMap<>();
        for (String id : List.copyOf(podsOfPeer.keySet())) {
            put(id, peer(Arrays.stream(podsOfPeer.get(id)).map(pods::get).toList()), peers, podsOfPeer, peerOfPod);
        }
        WorldBuilder namespaces = new WorldBuilder();
        source.namespaces().forEach(n -> namespaces.add("cluster", n));
        World world = WorldBuilder.assemble(namespaces.build().namespaces(), peers, policies, List.of(), p -> Set.of());
        return new State(version, Reachability.of(world, keys), peerOfPod, podsOfPeer, peers, stored);
    }

    /**
     * {@code s} after the changes of {@code changedPods} and of the stored policies. Its tables of pods and
     * peers are updated in place (only this class reads them, under its lock; {@code s} is dropped).
     */
    private State followed(State s, long version, Set<String> changedPods) {
        Map<String, NetworkPolicy> stored = policiesById();
        List<String> changedPolicies = new ArrayList<>();
        stored.forEach((id, np) -> {
            if (s.policies().get(id) != np) {
                changedPolicies.add(id);
            }
        });
        s.policies().keySet().forEach(id -> {
            if (!stored.containsKey(id)) {
                changedPolicies.add(id);
            }
        });
        if (changedPolicies.size() > MAX_POLICY_STEPS) {
            return rebuilt(version);
        }
        Reachability reach = s.reach();
        if (!changedPods.isEmpty()) {
            Map<String, String> peerOfPod = s.peerOfPod();
            Map<String, String[]> podsOfPeer = s.podsOfPeer();
            TreeMap<String, ReachPeer> peers = s.peers();
            Map<String, ObjectNode> now = new HashMap<>();
            Set<String> touchedPeers = new TreeSet<>();
            for (String key : changedPods) {
                ObjectNode pod = source.pod(key);
                String was = peerOfPod.remove(key);
                if (was != null) {
                    touchedPeers.add(was);
                    podsOfPeer.computeIfPresent(was, (p, members) -> without(members, key));
                }
                if (pod != null) {
                    String peer = WorldBuilder.peerIdOf(pod);
                    now.put(key, pod);
                    peerOfPod.put(key, peer);
                    touchedPeers.add(peer);
                    podsOfPeer.merge(peer, new String[] {key}, (had, one) -> with(had, key));
                }
            }
            for (String id : touchedPeers) {
                String[] members = podsOfPeer.get(id);
                if (members == null) {
                    peers.remove(id);
                } else {
                    List<ObjectNode> pods = new ArrayList<>();
                    for (String key : members) {
                        ObjectNode pod = now.containsKey(key) ? now.get(key) : source.pod(key);
                        if (pod != null) { // gone since the changes were read: the next update removes it
                            pods.add(pod);
                        }
                    }
                    if (pods.isEmpty()) {
                        peers.remove(id);
                    } else {
                        put(id, peer(pods), peers, podsOfPeer, peerOfPod);
                    }
                }
            }
            World w = reach.world();
            reach = reach.withPeers(WorldBuilder.assemble(w.namespaces(), peers, w.policies(), List.of(), p -> Set.of()));
        }
        for (String id : changedPolicies) {
            NetworkPolicy np = stored.get(id);
            reach = reach.afterPolicy(id, np == null ? null : rules(np));
        }
        return new State(version, reach, s.peerOfPod(), s.podsOfPeer(), s.peers(), stored);
    }

    /**
     * Puts {@code peer}, the peer {@code id}, in the tables, which then name it by the peer's own id
     * string: one string per peer, where each table had a copy (maps keep the key they were first given).
     */
    private static void put(String id, ReachPeer peer, TreeMap<String, ReachPeer> peers, Map<String, String[]> podsOfPeer,
            Map<String, String> peerOfPod) {
        String name = peer.id().equals(id) ? peer.id() : id;
        peers.remove(id);
        peers.put(name, peer);
        String[] members = podsOfPeer.remove(id);
        podsOfPeer.put(name, members);
        for (String pod : members) {
            peerOfPod.put(pod, name);
        }
    }

    /** {@code members} (sorted) with {@code key}. */
    private static String[] with(String[] members, String key) {
        int at = Arrays.binarySearch(members, key);
        if (at >= 0) {
            return members;
        }
        String[] out = new String[members.length + 1];
        int i = -at - 1;
        System.arraycopy(members, 0, out, 0, i);
        out[i] = key;
        System.arraycopy(members, i, out, i + 1, members.length - i);
        return out;
    }

    /** {@code members} (sorted) without {@code key}; null when none is left. */
    private static String[] without(String[] members, String key) {
        int at = Arrays.binarySearch(members, key);
        if (at < 0) {
            return members;
        }
        if (members.length == 1) {
            return null;
        }
        String[] out = new String[members.length - 1];
        System.arraycopy(members, 0, out, 0, at);
        System.arraycopy(members, at + 1, out, at, members.length - at - 1);
        return out;
    }

    /** The peer of one peer's pods, as the whole world's builder makes it. */
    private static ReachPeer peer(List<ObjectNode> pods) {
        WorldBuilder builder = new WorldBuilder();
        pods.forEach(p -> builder.add("cluster", p));
        return builder.build().peers().get(0);
    }

    private static String key(ObjectNode pod) {
        return pod.path("metadata").path("namespace").asText() + "/" + pod.path("metadata").path("name").asText();
    }

    private Map<String, NetworkPolicy> policiesById() {
        Map<String, NetworkPolicy> out = new HashMap<>();
        for (NetworkPolicy np : source.networkPolicies()) {
            out.put(np.getMetadata().getNamespace() + "/" + np.getMetadata().getName(), np);
        }
        return out;
    }

    /** Stored policies passed the API server's validation; one that still does not read is left out (null), not fatal. */
    private static PolicyRules rules(NetworkPolicy np) {
        return NetworkPolicyProblems.of(np).isEmpty() ? PolicyRules.of(np) : null;
    }
}
