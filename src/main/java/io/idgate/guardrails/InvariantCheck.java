package io.idgate.guardrails;

import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityKeys;
import io.idgate.netpol.Cidr;
import io.idgate.netpol.Connections;
import io.idgate.netpol.Direction;
import io.idgate.netpol.IpBlock;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.Explanation;
import io.idgate.reach.ExternalRange;
import io.idgate.reach.ReachDiff;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.Reachability;
import io.idgate.reach.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges reachability against the invariants in force (design section 8): which edges reach a protected
 * identity from outside {@code onlyFrom}, or leave it for something outside {@code onlyTo}. One judge for
 * every trigger: a NetworkPolicy change, a pod (created or relabelled), a namespace relabel, and the whole
 * world offline ({@code idgate check}, {@code reach diff}).
 *
 * <p>Edges are judged between workloads and reported per identity pair ({@code ns/sa[ServiceAccount]}),
 * each with the policy and rule that open it on the protected side, as {@link Violation}s of the
 * invariant, so every output that shows rule violations shows these too.
 */
public final class InvariantCheck {

    /** Offending identity pairs shown per invariant before a count of the rest. */
    public static final int MAX_EDGES = 10;

    /** What the judged change is, for the answer's field path and wording. */
    public record Subject(String policyId, String fieldPath) {
        /** A NetworkPolicy under review: rules of its own are named by their path in it. */
        public static Subject policy(String policyId) {
            return new Subject(policyId, "spec");
        }

        /** Anything else: a pod's or namespace's labels ({@code metadata.labels}), the world as it is ({@code reachability}). */
        public static Subject at(String fieldPath) {
            return new Subject(null, fieldPath);
        }
    }

    private final List<Invariant> invariants;
    private final IdentityConfig config;
    private final IdentityKeys keys;
    /** The protected peers of the last world judged: pod CREATEs in a quiet cluster all see the same world. */
    private volatile Protected lastProtected;

    private record Protected(Reachability reach, List<ReachPeer> peers) {}

    public InvariantCheck(List<Invariant> invariants, IdentityConfig config) {
        this.invariants = List.copyOf(invariants);
        this.config = config;
        this.keys = config.keys();
    }

    public boolean isEmpty() {
        return invariants.isEmpty();
    }

    /** True when some invariant refuses what it catches (so a check that cannot finish must refuse too). */
    public boolean anyDeny() {
        return invariants.stream().anyMatch(i -> i.action() == Action.DENY);
    }

    public List<Invariant> invariants() {
        return invariants;
    }

    /** Every edge of {@code r} that breaks an invariant: the world as it is (offline check, audit). */
    public List<Violation> all(Reachability r, Subject subject) {
        if (invariants.isEmpty()) {
            return List.of();
        }
        Judging j = new Judging(r.world(), r.externals(), subject);
        r.forEachEdge(e -> j.edge(e.src(), e.dst(), e.conns()));
        return j.violations();
    }

    /** The edges a change opens (connections a pair gains) that break an invariant; {@code after} is the changed world. */
    public List<Violation> opened(ReachDiff workloadDiff, Reachability after, Subject subject) {
        if (invariants.isEmpty()) {
            return List.of();
        }
        Judging j = new Judging(after.world(), after.externals(), subject);
        for (ReachDiff.Change c : workloadDiff.changes()) {
            Connections gained = c.after() == null ? Connections.NONE : c.before() == null ? c.after() : c.after().minus(c.before());
            if (!gained.isEmpty()) {
                j.edge(c.src(), c.dst(), gained);
            }
        }
        return j.violations();
    }

    /**
     * The edges a pod (or a pod template) would open that break an invariant: {@code peer} joins
     * {@code current}'s world, replacing the peer of the same id, or {@code before} (its labels before a
     * relabel; null for a new pod) whose breaches are not counted again. Only the pairs an invariant can
     * catch are evaluated (the pod and the protected peers), each directly from the policies.
     */
    public List<Violation> forPeer(Reachability current, ReachPeer peer, ReachPeer before, Subject subject) {
        if (invariants.isEmpty()) {
            return List.of();
        }
        Map<String, List<PolicyRules>> policies = new HashMap<>();
        current.world().policies().forEach(p -> policies.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p));
        Judging now = new Judging(current.world(), current.externals(), subject, new HashMap<>());
        peerEdges(now, current, policies, peer);
        if (before != null) {
            Judging then = new Judging(current.world(), current.externals(), subject, new HashMap<>());
            peerEdges(then, current, policies, before);
            now.forget(then);
        }
        return now.violations();
    }

    /**
     * The edges a namespace relabel opens that break an invariant: every pair an invariant can catch is
     * compared between {@code before} and {@code after} (the same peers, the namespace's labels changed).
     */
    public List<Violation> relabelled(Reachability before, Reachability after, Subject subject) {
        if (invariants.isEmpty()) {
            return List.of();
        }
        Judging j = new Judging(after.world(), after.externals(), subject);
        List<String> names = new ArrayList<>();
        after.world().peers().forEach(p -> names.add(p.id()));
        after.externals().forEach(e -> names.add(e.id()));
        for (Invariant inv : invariants) {
            for (ReachPeer p : after.world().peers()) {
                if (!matches(inv.protectedRef(), p)) {
                    continue;
                }
                for (String other : names) {
                    String src = inv.guarded() == Direction.INGRESS ? other : p.id();
                    String dst = inv.guarded() == Direction.INGRESS ? p.id() : other;
                    if (!src.equals(dst)) {
                        Connections gained = after.connections(src, dst).minus(before.connections(src, dst));
                        if (!gained.isEmpty()) {
                            j.edge(src, dst, gained);
                        }
                    }
                }
            }
        }
        return j.violations();
    }

    /**
     * The pod's edges that an invariant looks at: into it from anything when it is protected, and between
     * it and the protected peers when it is not. Peers no invariant relates to the pod are never
     * evaluated, peers alike to every policy (same namespace, labels, ports, addresses, ServiceAccount)
     * once, and each pair only against the policies of its two namespaces (a NetworkPolicy selects pods
     * of its own namespace only): what keeps a pod CREATE cheap in a large cluster.
     */
    private void peerEdges(Judging j, Reachability current, Map<String, List<PolicyRules>> policies, ReachPeer peer) {
        World base = current.world();
        Explanation.End me = Explanation.End.of(peer);
        j.know(peer);
        Map<String, World> scoped = new HashMap<>();
        java.util.Set<List<Object>> seen = new java.util.HashSet<>();
        boolean podProtected = invariants.stream().anyMatch(inv -> matches(inv.protectedRef(), peer));
        // a pod outside every protected identity can only offend against (or be offended by) protected peers
        for (ReachPeer p : podProtected ? base.peers() : protectedPeers(current)) {
            if (p.id().equals(peer.id())) {
                continue;
            }
            int want = wanted(peer, p);
            if (want != 0 && seen.add(List.of(p.namespace(), p.labels(), p.serviceAccount(), p.ports(), p.ips()))) {
                j.know(p);
                World w = scoped.computeIfAbsent(p.namespace(), ns -> scopedWorld(base, policies, peer.namespace(), ns));
                evaluate(j, w, me, Explanation.End.of(p), want);
            }
        }
        int outside = podProtected ? wanted(peer, null) : 0; // outside addresses are never protected
        if (outside != 0) {
            World w = scopedWorld(base, policies, peer.namespace(), peer.namespace());
            current.externals().forEach(e -> evaluate(j, w, me, Explanation.End.of(e), outside));
        }
    }

    private List<ReachPeer> protectedPeers(Reachability current) {
        Protected last = lastProtected;
        if (last == null || last.reach() != current) {
            List<ReachPeer> peers = current.world().peers().stream()
                    .filter(p -> invariants.stream().anyMatch(inv -> matches(inv.protectedRef(), p))).toList();
            last = new Protected(current, peers);
            lastProtected = last;
        }
        return last.peers();
    }

    private static final int IN = 1;
    private static final int OUT = 2;

    /** Which directions between the pod and {@code other} (null: an outside address) some invariant looks at: {@link #IN}, {@link #OUT}. */
    private int wanted(ReachPeer pod, ReachPeer other) {
        int want = 0;
        for (Invariant inv : invariants) {
            boolean mineProtected = matches(inv.protectedRef(), pod);
            boolean otherProtected = other != null && matches(inv.protectedRef(), other);
            if (mineProtected == otherProtected) {
                continue; // both inside: never a breach; both outside: this invariant does not look at the pair
            }
            want |= (inv.guarded() == Direction.INGRESS) == mineProtected ? IN : OUT;
        }
        return want;
    }

    private void evaluate(Judging j, World w, Explanation.End me, Explanation.End other, int want) {
        if ((want & IN) != 0) {
            Connections c = Explanation.of(w, keys, other, me, null, null).result();
            if (!c.isEmpty()) {
                j.edge(other.name(), me.name(), c);
            }
        }
        if ((want & OUT) != 0) {
            Connections c = Explanation.of(w, keys, me, other, null, null).result();
            if (!c.isEmpty()) {
                j.edge(me.name(), other.name(), c);
            }
        }
    }

    private static World scopedWorld(World base, Map<String, List<PolicyRules>> policies, String a, String b) {
        List<PolicyRules> both = new ArrayList<>(policies.getOrDefault(a, List.of()));
        if (!a.equals(b)) {
            both.addAll(policies.getOrDefault(b, List.of()));
        }
        return new World(base.namespaces(), List.of(), both, Map.of(), List.of());
    }

    /** True when {@code peer} is among the identities {@code invariant} protects. */
    public boolean protects(Invariant invariant, ReachPeer peer) {
        return matches(invariant.protectedRef(), peer);
    }

    /** True when {@code peer} has the identity {@code ref} names (judged from its identity labels, as the webhook stamps them). */
    boolean matches(IdentityRef ref, ReachPeer peer) {
        return ref.matches(peer, config);
    }

    private boolean allowed(Invariant inv, ReachPeer peer, ExternalRange external) {
        if (peer == null) {
            for (Cidr c : inv.allowedCidrs()) {
                if (c.ipv4() && IpBlock.first(c) <= external.first() && external.last() <= IpBlock.last(c)) {
                    return true;
                }
            }
            return false;
        }
        if (matches(inv.protectedRef(), peer)) {
            return true;
        }
        for (IdentityRef ref : inv.allowed()) {
            if (matches(ref, peer)) {
                return true;
            }
        }
        for (Cidr c : inv.allowedCidrs()) {
            // a pod whose address the invariant lists is as allowed as the address
            if (peer.ips().stream().anyMatch(ip -> c.contains(ip))) {
                return true;
            }
        }
        return false;
    }

    /** One judgement: edges in, breaches gathered per invariant and identity pair, violations out. */
    private final class Judging {

        private record Key(String invariant, String src, String dst) {}

        private static final class Breach {
            final Invariant invariant;
            final String src;
            final String dst;
            Connections conns = Connections.NONE;
            final String sampleSrc;
            final String sampleDst;

            Breach(Invariant invariant, String src, String dst, String sampleSrc, String sampleDst) {
                this.invariant = invariant;
                this.src = src;
                this.dst = dst;
                this.sampleSrc = sampleSrc;
                this.sampleDst = sampleDst;
            }
        }

        private final World world;
        private final Subject subject;
        private final Map<String, ReachPeer> peers;
        private final Map<String, ExternalRange> externals = new HashMap<>();
        private final Map<Key, Breach> breaches = new TreeMap<>((a, b) -> {
            int c = a.invariant().compareTo(b.invariant());
            c = c != 0 ? c : a.src().compareTo(b.src());
            return c != 0 ? c : a.dst().compareTo(b.dst());
        });

        Judging(World world, List<ExternalRange> externalRanges, Subject subject) {
            this(world, externalRanges, subject, new HashMap<>());
            world.peers().forEach(p -> peers.put(p.id(), p));
        }

        /** With only the peers the caller makes known ({@link #know}): a pod's judgement looks at few. */
        Judging(World world, List<ExternalRange> externalRanges, Subject subject, Map<String, ReachPeer> peers) {
            this.world = world;
            this.subject = subject;
            this.peers = peers;
            externalRanges.forEach(e -> externals.put(e.id(), e));
        }

        void know(ReachPeer p) {
            peers.put(p.id(), p);
        }

        void edge(String src, String dst, Connections conns) {
            ReachPeer s = peers.get(src);
            ReachPeer d = peers.get(dst);
            for (Invariant inv : invariants) {
                ReachPeer inside = inv.guarded() == Direction.INGRESS ? d : s;
                ReachPeer outside = inv.guarded() == Direction.INGRESS ? s : d;
                String outsideName = inv.guarded() == Direction.INGRESS ? src : dst;
                if (inside == null || !matches(inv.protectedRef(), inside)) {
                    continue;
                }
                if (allowed(inv, outside, outside == null ? externals.get(outsideName) : null)) {
                    continue;
                }
                String srcId = s == null ? src : s.identityId();
                String dstId = d == null ? dst : d.identityId();
                Breach b = breaches.computeIfAbsent(new Key(inv.name(), srcId, dstId), k -> new Breach(inv, srcId, dstId, src, dst));
                b.conns = b.conns.union(conns);
            }
        }

        /** Drops what {@code earlier} already found (a relabel is judged by what it adds). */
        void forget(Judging earlier) {
            earlier.breaches.forEach((k, old) -> {
                Breach b = breaches.get(k);
                if (b != null) {
                    b.conns = b.conns.minus(old.conns);
                    if (b.conns.isEmpty()) {
                        breaches.remove(k);
                    }
                }
            });
        }

        List<Violation> violations() {
            Map<String, List<Breach>> byInvariant = new LinkedHashMap<>();
            breaches.values().forEach(b -> byInvariant.computeIfAbsent(b.invariant.name(), k -> new ArrayList<>()).add(b));
            List<Violation> out = new ArrayList<>();
            byInvariant.forEach((name, list) -> {
                for (int i = 0; i < Math.min(MAX_EDGES, list.size()); i++) {
                    out.add(violation(list.get(i)));
                }
                if (list.size() > MAX_EDGES) {
                    Invariant inv = list.get(0).invariant;
                    out.add(new Violation(inv.name(), inv.source().configMap(), inv.action(), subject.fieldPath(),
                            "… and " + (list.size() - MAX_EDGES) + " more identity pairs break it", "idgate reach diff shows all of them",
                            "invariant"));
                }
            });
            return out;
        }

        private Violation violation(Breach b) {
            Invariant inv = b.invariant;
            Explanation e = Explanation.of(world, keys, end(b.sampleSrc), end(b.sampleDst), null, null);
            Explanation.Side guardedSide = inv.guarded() == Direction.INGRESS ? e.ingress() : e.egress();
            Explanation.Side otherSide = inv.guarded() == Direction.INGRESS ? e.egress() : e.ingress();
            String fieldPath = subject.fieldPath();
            List<String> by = new ArrayList<>();
            for (Explanation.Allowance a : guardedSide.allowedBy()) {
                String path = a.rulePath() + (a.peerIndex() < 0 ? "" : "." + a.direction().peersField() + "[" + a.peerIndex() + "]");
                by.add(a.policy() + " " + path);
                if (a.policy().equals(subject.policyId()) && fieldPath.equals(subject.fieldPath())) {
                    fieldPath = path;
                }
            }
            String how;
            String fix;
            String protectedEnd = guardedSide.peer();
            if (guardedSide.status() == Explanation.Status.OPEN) {
                how = "no NetworkPolicy isolates the " + inv.guarded().field() + " of " + protectedEnd;
                fix = "isolate it (a default-deny " + inv.guarded().policyType() + " policy in its namespace) and allow only what "
                        + inv.name() + " lists";
            } else {
                how = "allowed by " + String.join(", ", by.stream().distinct().toList());
                fix = "narrow " + (by.size() == 1 ? "that rule" : "those rules") + " to the identities " + inv.name() + " lists, or add the "
                        + inv.guarded().noun() + " to its " + inv.allowedField();
            }
            if (otherSide.status() == Explanation.Status.ISOLATED && !otherSide.allowedBy().isEmpty()) {
                Explanation.Allowance a = otherSide.allowedBy().get(0);
                how += "; " + otherSide.direction().field() + " of " + otherSide.peer() + " by " + a.policy() + " " + a.rulePath();
            }
            String problem = "opens " + b.src + " => " + b.dst + " : " + b.conns + ", but " + inv.summary() + " (" + how + ")";
            return new Violation(inv.name(), inv.source().configMap(), inv.action(), fieldPath, problem, fix, "invariant");
        }

        private Explanation.End end(String name) {
            ReachPeer p = peers.get(name);
            if (p != null) {
                return Explanation.End.of(p);
            }
            ExternalRange r = externals.get(name);
            return r != null ? Explanation.End.of(r) : new Explanation.End(name, null, -1);
        }
    }
}
