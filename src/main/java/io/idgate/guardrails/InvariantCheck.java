package io.idgate.guardrails;

import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityKeys;
import io.idgate.netpol.Cidr;
import io.idgate.netpol.Connections;
import io.idgate.netpol.Direction;
import io.idgate.netpol.IpBlock;
import io.idgate.reach.Explanation;
import io.idgate.reach.ExternalRange;
import io.idgate.reach.ReachDiff;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.Reachability;
import java.util.ArrayList;
import java.util.BitSet;
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

    /**
     * Which peers of a state's world the invariants protect: per invariant (in order) a bit set of peer
     * indexes, and the indexes protected by any.
     */
    private record Protected(Reachability reach, BitSet[] byInvariant, int[] peers) {}

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
        Judging j = new Judging(r, subject);
        r.forEachEdge(e -> j.edge(e.src(), e.dst(), e.conns()));
        return j.violations();
    }

    /** The edges a change opens (connections a pair gains) that break an invariant; {@code after} is the changed world. */
    public List<Violation> opened(ReachDiff workloadDiff, Reachability after, Subject subject) {
        Opening o = opening(after, subject);
        workloadDiff.changes().forEach(o);
        return o.violations();
    }

    /** {@link #opened} fed one workload change at a time (one walk of a change's pairs can feed it and the preview). */
    public Opening opening(Reachability after, Subject subject) {
        return new Opening(invariants.isEmpty() ? null : new Judging(after, subject));
    }

    /** The breaches of the changes it is given; see {@link #opening}. */
    public static final class Opening implements java.util.function.Consumer<ReachDiff.Change> {
        private final Judging judging;

        private Opening(Judging judging) {
            this.judging = judging;
        }

        @Override
        public void accept(ReachDiff.Change c) {
            if (judging == null) {
                return;
            }
            Connections gained = c.after() == null ? Connections.NONE : c.before() == null ? c.after() : c.after().minus(c.before());
            if (!gained.isEmpty()) {
                judging.edge(c.src(), c.dst(), gained);
            }
        }

        public List<Violation> violations() {
            return judging == null ? List.of() : judging.violations();
        }
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
        Judging now = new Judging(current, subject);
        peerEdges(now, current, peer);
        if (before != null) {
            Judging then = new Judging(current, subject);
            peerEdges(then, current, before);
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
        Judging j = new Judging(after, subject);
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
     * it and the protected peers when it is not. Peers no invariant relates to the pod are never looked
     * at, and the pod's connections with every node come from {@link Reachability#linksOf} (the rules
     * judged once against the pod, bit sets over peer classes): what keeps a pod CREATE cheap in a large
     * cluster.
     */
    private void peerEdges(Judging j, Reachability current, ReachPeer peer) {
        j.know(peer);
        String me = peer.id();
        Reachability.PeerLinks links = current.linksOf(peer);
        Protected prot = protectedPeers(current);
        boolean[] mine = new boolean[invariants.size()];
        boolean podProtected = false;
        for (int k = 0; k < mine.length; k++) {
            mine[k] = matches(invariants.get(k).protectedRef(), peer);
            podProtected |= mine[k];
        }
        List<ReachPeer> peers = current.world().peers();
        // the nodes the pod's own rules let it exchange anything with (null: any); only they can make an edge
        int looked = 0;
        for (int k = 0; k < mine.length; k++) {
            looked |= (invariants.get(k).guarded() == Direction.INGRESS) == mine[k] ? IN : OUT;
        }
        BitSet candidates = links.candidates((looked & IN) != 0, (looked & OUT) != 0);
        // a pod outside every protected identity can only offend against (or be offended by) protected peers
        for (int i : podProtected ? allPeers(peers.size()) : prot.peers()) {
            int node = current.nodeOfPeer(i);
            if (candidates != null && !candidates.get(node)) {
                continue;
            }
            ReachPeer p = peers.get(i);
            int want = p.sameObject(peer) ? 0 : wanted(mine, prot, i);
            Connections in = (want & IN) != 0 ? links.into(node, false) : Connections.NONE;
            Connections out = (want & OUT) != 0 ? links.out(node, false) : Connections.NONE;
            if (!in.isEmpty() || !out.isEmpty()) {
                j.know(p);
                edges(j, p.id(), me, in, out);
            }
        }
        int outside = podProtected ? wanted(mine, prot, -1) : 0; // outside addresses are never protected
        for (int e = 0; outside != 0 && e < current.externals().size(); e++) {
            int node = current.nodeOfExternal(e);
            if (candidates != null && !candidates.get(node)) {
                continue;
            }
            Connections in = (outside & IN) != 0 ? links.into(node, false) : Connections.NONE;
            Connections out = (outside & OUT) != 0 ? links.out(node, false) : Connections.NONE;
            if (!in.isEmpty() || !out.isEmpty()) {
                edges(j, current.externals().get(e).id(), me, in, out);
            }
        }
    }

    private static void edges(Judging j, String other, String pod, Connections in, Connections out) {
        if (!in.isEmpty()) {
            j.edge(other, pod, in);
        }
        if (!out.isEmpty()) {
            j.edge(pod, other, out);
        }
    }

    private static int[] allPeers(int count) {
        return java.util.stream.IntStream.range(0, count).toArray();
    }

    /** Which peers of {@code current}'s world the invariants protect; kept while the state is. */
    private Protected protectedPeers(Reachability current) {
        Protected last = lastProtected;
        if (last == null || last.reach() != current) {
            List<ReachPeer> peers = current.world().peers();
            BitSet[] byInvariant = new BitSet[invariants.size()];
            BitSet any = new BitSet();
            for (int k = 0; k < invariants.size(); k++) {
                byInvariant[k] = new BitSet(peers.size());
                for (int i = 0; i < peers.size(); i++) {
                    if (matches(invariants.get(k).protectedRef(), peers.get(i))) {
                        byInvariant[k].set(i);
                    }
                }
                any.or(byInvariant[k]);
            }
            last = new Protected(current, byInvariant, any.stream().toArray());
            lastProtected = last;
        }
        return last;
    }

    private static final int IN = 1;
    private static final int OUT = 2;

    /**
     * Which directions between the pod and the world's peer {@code other} (-1: an outside address) some
     * invariant looks at: {@link #IN}, {@link #OUT}. {@code mine}: per invariant, whether it protects the pod.
     */
    private int wanted(boolean[] mine, Protected prot, int other) {
        int want = 0;
        for (int k = 0; k < invariants.size(); k++) {
            boolean otherProtected = other >= 0 && prot.byInvariant()[k].get(other);
            if (mine[k] == otherProtected) {
                continue; // both inside: never a breach; both outside: this invariant does not look at the pair
            }
            want |= (invariants.get(k).guarded() == Direction.INGRESS) == mine[k] ? IN : OUT;
        }
        return want;
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

        private final Reachability reach;
        private final Subject subject;
        /** Peers the judgement made known (a pod under admission); the others are the world's, found by name. */
        private final Map<String, ReachPeer> known = new HashMap<>();
        private final Map<Key, Breach> breaches = new TreeMap<>((a, b) -> {
            int c = a.invariant().compareTo(b.invariant());
            c = c != 0 ? c : a.src().compareTo(b.src());
            return c != 0 ? c : a.dst().compareTo(b.dst());
        });

        Judging(Reachability reach, Subject subject) {
            this.reach = reach;
            this.subject = subject;
        }

        void know(ReachPeer p) {
            known.put(p.id(), p);
        }

        private ReachPeer peer(String name) {
            ReachPeer p = known.get(name);
            return p != null ? p : reach.peer(name);
        }

        void edge(String src, String dst, Connections conns) {
            ReachPeer s = peer(src);
            ReachPeer d = peer(dst);
            for (Invariant inv : invariants) {
                ReachPeer inside = inv.guarded() == Direction.INGRESS ? d : s;
                ReachPeer outside = inv.guarded() == Direction.INGRESS ? s : d;
                String outsideName = inv.guarded() == Direction.INGRESS ? src : dst;
                if (inside == null || !matches(inv.protectedRef(), inside)) {
                    continue;
                }
                if (allowed(inv, outside, outside == null ? reach.external(outsideName) : null)) {
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
            Explanation e = Explanation.of(reach.world(), keys, end(b.sampleSrc), end(b.sampleDst), null, null);
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
            ReachPeer p = peer(name);
            if (p != null) {
                return Explanation.End.of(p);
            }
            ExternalRange r = reach.external(name);
            return r != null ? Explanation.End.of(r) : new Explanation.End(name, null, -1);
        }
    }
}
