package io.idgate.reach;

import io.idgate.identity.IdentityKeys;
import io.idgate.netpol.Cidr;
import io.idgate.netpol.Connections;
import io.idgate.netpol.ContainerPort;
import io.idgate.netpol.Direction;
import io.idgate.netpol.IpBlock;
import io.idgate.netpol.Peer;
import io.idgate.netpol.PolicyRule;
import io.idgate.netpol.PolicyRules;
import io.idgate.netpol.Selectors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Who reaches whom in a {@link World}: for every ordered pair of distinct peers, and between peers and
 * external IPv4 ranges, the connections NetworkPolicies allow.
 *
 * <p>A connection from A to B exists when A's egress and B's ingress both allow it. A direction no policy
 * isolates is open; isolated directions allow the union of the matching rules of the policies that
 * isolate them. Externals have no policies: their directions are open.
 *
 * <p><b>Why classes.</b> Peers with identical (namespace, labels, container ports, addresses) are
 * indistinguishable to every policy, so rows are computed per class, and rows are shared between
 * classes that the same rules govern (a row is memoised by the list of rules that apply to it). Each rule's
 * matching peers are computed once, as a bit set over classes and external ranges. The external
 * address space is cut at every CIDR and {@code except} bound, so each range is homogeneous for
 * every ipBlock. {@link #forEachEdge} streams edges in sorted order without storing the n² matrix.
 *
 * <p>Safe to share between threads once built: rows are computed lazily, published through a
 * {@link ConcurrentHashMap} and {@link AtomicReferenceArray}s (two threads may compute the same row;
 * both get equal rows). {@link #withPolicy} and {@link #withoutPolicy} leave this state unchanged.
 */
public final class Reachability {

    private record ClassKey(String namespace, SortedMap<String, String> labels, List<ContainerPort> ports, List<Cidr> ips) {}

    /** One rule of one policy, with its matches precomputed. */
    private record RuleData(int id, PolicyRule rule, BitSet matched, BitSet strict, Connections constant) {}

    private record RowKey(Direction direction, boolean strict, List<Integer> rules, List<ContainerPort> ports) {}

    private final World world;
    private final IdentityKeys keys;
    private final List<ClassKey> classes;
    private final int[] classOfPeer;
    private final List<List<Integer>> peersOfClass;
    private final Map<String, List<Integer>> classesByNamespace;
    private final List<Integer> classesWithIps;
    private final List<ExternalRange> externals;
    private final int nodeCount;
    /** Per direction (ordinal), per class: the rules of each policy that isolates it, by policy id (sorted). */
    private final List<List<TreeMap<String, List<RuleData>>>> isolating = new ArrayList<>();
    private final Map<RowKey, Connections[]> rows = new ConcurrentHashMap<>();
    /** Per direction and strictness ({@code 2 * ordinal + (strict ? 1 : 0)}), per class: the computed row, or null. */
    @SuppressWarnings("unchecked")
    private final AtomicReferenceArray<Connections[]>[] rowCache = new AtomicReferenceArray[4];
    private int nextRuleId;

    private Reachability(World world, IdentityKeys keys, List<ExternalRange> externals) {
        this.world = world;
        this.keys = keys;
        Map<ClassKey, Integer> index = new HashMap<>();
        classes = new ArrayList<>();
        peersOfClass = new ArrayList<>();
        classesByNamespace = new HashMap<>();
        classesWithIps = new ArrayList<>();
        classOfPeer = new int[world.peers().size()];
        for (int i = 0; i < world.peers().size(); i++) {
            ReachPeer p = world.peers().get(i);
            ClassKey k = new ClassKey(p.namespace(), p.labels(), p.ports(), p.ips());
            Integer c = index.get(k);
            if (c == null) {
                c = classes.size();
                index.put(k, c);
                classes.add(k);
                peersOfClass.add(new ArrayList<>());
                classesByNamespace.computeIfAbsent(p.namespace(), n -> new ArrayList<>()).add(c);
                if (!p.ips().isEmpty()) {
                    classesWithIps.add(c);
                }
            }
            classOfPeer[i] = c;
            peersOfClass.get(c).add(i);
        }
        this.externals = externals;
        nodeCount = classes.size() + externals.size();
        for (Direction d : Direction.values()) {
            List<TreeMap<String, List<RuleData>>> perClass = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                perClass.add(EMPTY);
            }
            isolating.add(perClass);
            rowCache[2 * d.ordinal()] = new AtomicReferenceArray<>(classes.size());
            rowCache[2 * d.ordinal() + 1] = new AtomicReferenceArray<>(classes.size());
        }
        for (PolicyRules p : world.policies()) {
            add(p, null);
        }
    }

    /** Shared by every class no policy isolates; never modified (copy on write). */
    private static final TreeMap<String, List<RuleData>> EMPTY = new TreeMap<>();

    /** The next state after a policy change: same peers, classes and cuts; rows of untouched classes shared. */
    private Reachability(Reachability base, World world) {
        this.world = world;
        this.keys = base.keys;
        this.classes = base.classes;
        this.classOfPeer = base.classOfPeer;
        this.peersOfClass = base.peersOfClass;
        this.classesByNamespace = base.classesByNamespace;
        this.classesWithIps = base.classesWithIps;
        this.externals = base.externals;
        this.nodeCount = base.nodeCount;
        this.nextRuleId = base.nextRuleId;
        for (Direction d : Direction.values()) {
            isolating.add(new ArrayList<>(base.isolating.get(d.ordinal())));
        }
        for (int i = 0; i < 4; i++) {
            AtomicReferenceArray<Connections[]> copy = new AtomicReferenceArray<>(classes.size());
            for (int c = 0; c < classes.size(); c++) {
                copy.set(c, base.rowCache[i].get(c));
            }
            rowCache[i] = copy;
        }
    }

    /** Classes of the policy's namespace that its podSelector selects. */
    private List<Integer> selected(PolicyRules p) {
        List<Integer> out = new ArrayList<>();
        for (int c : classesByNamespace.getOrDefault(p.namespace(), List.of())) {
            if (Selectors.matches(p.podSelector(), classes.get(c).labels())) {
                out.add(c);
            }
        }
        return out;
    }

    /** Registers {@code p}'s rules with the classes it isolates; records each touched (direction, class) in {@code touched}. */
    private void add(PolicyRules p, Set<Long> touched) {
        List<Integer> selected = selected(p);
        if (selected.isEmpty()) {
            return;
        }
        for (Direction d : Direction.values()) {
            if (!p.isolates(d)) {
                continue;
            }
            List<RuleData> data = new ArrayList<>();
            for (PolicyRule r : p.rules(d)) {
                BitSet matched = new BitSet(nodeCount);
                BitSet strict = new BitSet(nodeCount);
                if (r.allPeers()) {
                    matched.set(0, nodeCount);
                    strict.set(0, nodeCount);
                }
                for (Peer peer : r.peers()) {
                    BitSet m = match(peer);
                    matched.or(m);
                    if (!Spoofing.isSpoofable(peer, keys)) {
                        strict.or(m);
                    }
                }
                data.add(new RuleData(nextRuleId++, r, matched, strict, r.hasNamedPorts() ? null : r.connections(List.of())));
            }
            List<TreeMap<String, List<RuleData>>> perClass = isolating.get(d.ordinal());
            for (int c : selected) {
                TreeMap<String, List<RuleData>> m = new TreeMap<>(perClass.get(c));
                m.put(p.id(), data);
                perClass.set(c, m);
                forget(d, c, touched);
            }
        }
    }

    /** Unregisters the policy {@code p} (as it was in this state) from the classes it isolated. */
    private void remove(PolicyRules p, Set<Long> touched) {
        for (Direction d : Direction.values()) {
            List<TreeMap<String, List<RuleData>>> perClass = isolating.get(d.ordinal());
            for (int c : selected(p)) {
                if (perClass.get(c).containsKey(p.id())) {
                    TreeMap<String, List<RuleData>> m = new TreeMap<>(perClass.get(c));
                    m.remove(p.id());
                    perClass.set(c, m.isEmpty() ? EMPTY : m);
                    forget(d, c, touched);
                }
            }
        }
    }

    private void forget(Direction d, int c, Set<Long> touched) {
        rowCache[2 * d.ordinal()].set(c, null);
        rowCache[2 * d.ordinal() + 1].set(c, null);
        if (touched != null) {
            touched.add(((long) d.ordinal() << 32) | c);
        }
    }

    /** Computes reachability of {@code world}; {@code keys} tell which labels pin identity (spoofable edges). */
    public static Reachability of(World world, IdentityKeys keys) {
        return new Reachability(world, keys, ExternalRange.cuts(world.policies()));
    }

    /**
     * The reachability of {@code before} and of {@code after} with the external address space cut alike
     * (at the bounds of both worlds' policies), so the two can be compared: cut apart, a range one side
     * splits would read as removed and its pieces as added though no address changed.
     */
    public static Reachability[] comparable(World before, World after, IdentityKeys keys) {
        List<ExternalRange> cuts = ExternalRange.cuts(before.policies(), after.policies());
        return new Reachability[] {new Reachability(before, keys, cuts), new Reachability(after, keys, cuts)};
    }

    public World world() {
        return world;
    }

    /** The external IPv4 ranges: the address space cut at every IPv4 CIDR and except bound of the policies. */
    public List<ExternalRange> externals() {
        return externals;
    }

    /** Number of peer classes (for figures and tests). */
    public int classCount() {
        return classes.size();
    }

    private BitSet match(Peer peer) {
        BitSet m = new BitSet(nodeCount);
        if (peer.isIpBlock()) {
            IpBlock b = peer.ipBlock();
            for (int c : classesWithIps) {
                if (classes.get(c).ips().stream().anyMatch(b::containsAddress)) {
                    m.set(c);
                }
            }
            for (int e = 0; e < externals.size(); e++) {
                if (b.containsIpv4(externals.get(e).first())) { // ranges are homogeneous: the first address decides
                    m.set(classes.size() + e);
                }
            }
            return m;
        }
        for (Map.Entry<String, List<Integer>> ns : classesByNamespace.entrySet()) {
            if (!peer.matchesNamespace(ns.getKey(), world.namespaceLabels(ns.getKey()))) {
                continue;
            }
            for (int c : ns.getValue()) {
                if (peer.podSelector() == null || Selectors.matches(peer.podSelector(), classes.get(c).labels())) {
                    m.set(c);
                }
            }
        }
        return m;
    }

    /**
     * Row of class {@code c} in direction {@code d}: for ingress, per source node what it may send to
     * {@code c}; for egress, per destination node what {@code c} may send it. Null when nothing isolates
     * {@code c} in that direction (everything allowed). {@code strict} leaves out spoofable peers.
     */
    private Connections[] row(Direction d, int c, boolean strict) {
        AtomicReferenceArray<Connections[]> cache = rowCache[2 * d.ordinal() + (strict ? 1 : 0)];
        Connections[] cached = cache.get(c);
        if (cached != null) {
            return cached;
        }
        TreeMap<String, List<RuleData>> policies = isolating.get(d.ordinal()).get(c);
        if (policies.isEmpty()) {
            return null;
        }
        List<RuleData> rules = new ArrayList<>();
        policies.values().forEach(rules::addAll);
        boolean named = rules.stream().anyMatch(r -> r.constant() == null);
        // ingress ports are the selected pod's (one value per rule for every source); egress ports the destination's
        List<ContainerPort> ports = d == Direction.INGRESS && named ? classes.get(c).ports() : List.of();
        RowKey key = new RowKey(d, strict, rules.stream().map(RuleData::id).toList(), ports);
        Connections[] row = rows.computeIfAbsent(key, k -> {
            Connections[] out = new Connections[nodeCount];
            for (RuleData r : rules) {
                BitSet m = strict ? r.strict() : r.matched();
                Connections fixed = r.constant() != null ? r.constant() : d == Direction.INGRESS ? r.rule().connections(ports) : null;
                for (int i = m.nextSetBit(0); i >= 0; i = m.nextSetBit(i + 1)) {
                    // externals declare no container port: a named port opens nothing to them
                    Connections conns = fixed != null ? fixed : r.rule().connections(i < classes.size() ? classes.get(i).ports() : List.of());
                    if (!conns.isEmpty()) {
                        out[i] = out[i] == null ? conns : out[i].union(conns);
                    }
                }
            }
            return out;
        });
        cache.set(c, row);
        return row;
    }

    private static Connections at(Connections[] row, int i) {
        if (row == null) {
            return Connections.ALL;
        }
        return row[i] == null ? Connections.NONE : row[i];
    }

    /** Connections between nodes (class index, or classCount + external index); never both external. */
    private Connections between(int src, int dst, boolean strict) {
        int cc = classes.size();
        if (src >= cc) {
            return at(row(Direction.INGRESS, dst, strict), src);
        }
        if (dst >= cc) {
            return at(row(Direction.EGRESS, src, strict), dst);
        }
        Connections out = at(row(Direction.EGRESS, src, strict), dst);
        return out.isEmpty() ? out : out.intersect(at(row(Direction.INGRESS, dst, strict), src));
    }

    /** The nodes of the workload view, sorted by name: peers and external ranges. */
    public List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        for (ReachPeer p : world.peers()) {
            out.add(new Node(p.id(), p.kind(), p.namespace(), false));
        }
        for (ExternalRange e : externals) {
            out.add(new Node(e.id(), "External", "", true));
        }
        out.sort(null);
        return out;
    }

    /** A node of the output: a peer (with its index) or an external range (peer -1), by name. */
    private record Item(String name, int node, int peer) {}

    private List<Item> items;

    /** Every node, sorted by name (computed once; shared with states derived by a policy change). */
    private List<Item> items() {
        if (items == null) {
            List<Item> out = new ArrayList<>();
            for (int i = 0; i < world.peers().size(); i++) {
                out.add(new Item(world.peers().get(i).id(), classOfPeer[i], i));
            }
            for (int e = 0; e < externals.size(); e++) {
                out.add(new Item(externals.get(e).id(), classes.size() + e, -1));
            }
            out.sort((a, b) -> a.name().compareTo(b.name()));
            items = List.copyOf(out);
        }
        return items;
    }

    /** Calls {@code sink} for every non-empty edge, sorted by source then destination name. */
    public void forEachEdge(Consumer<Edge> sink) {
        List<Item> all = items();
        int cc = classes.size();
        for (Item s : all) {
            for (Item d : all) {
                if (s == d || (s.node() >= cc && d.node() >= cc)) {
                    continue;
                }
                Connections conns = between(s.node(), d.node(), false);
                if (!conns.isEmpty()) {
                    boolean spoofable = between(s.node(), d.node(), true).isEmpty();
                    sink.accept(new Edge(s.name(), d.name(), conns, spoofable));
                }
            }
        }
    }

    /**
     * The state after one NetworkPolicy change, and what changed.
     *
     * @param before this state, or (when the change moves the external cuts) this world cut as {@code next} is
     * @param next the reachability of the changed world
     * @param diff the edges of the workload view that changed
     */
    public record PolicyChange(Reachability before, Reachability next, ReachDiff diff) {}

    /** {@code policy} added, or replacing the policy of the same namespace and name. */
    public PolicyChange withPolicy(PolicyRules policy) {
        return change(policy.id(), policy);
    }

    /** The policy {@code namespace/name} deleted (no change when there is none). */
    public PolicyChange withoutPolicy(String namespace, String name) {
        return change(namespace + "/" + name, null);
    }

    /**
     * Only the rows of the classes the old and new policy select are recomputed, and only the pairs
     * into or out of those classes compared: the admission preview of a NetworkPolicy depends on it. A
     * change that moves the external cuts (a new CIDR bound) renames external peers, so it falls back to
     * a full computation and a full diff.
     */
    private PolicyChange change(String id, PolicyRules after) {
        PolicyRules before = world.policies().stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
        List<PolicyRules> policies = new ArrayList<>(world.policies());
        if (before != null) {
            policies.remove(before);
        }
        if (after != null) {
            policies.add(after);
        }
        World nextWorld = world.withPolicies(policies);
        if (!ExternalRange.cuts(nextWorld.policies()).equals(externals)) {
            // New CIDR bounds split outside ranges: both sides are rebuilt cut alike (rows stay lazy), and still
            // only the rows of the classes the old or new policy selects can differ between them.
            Reachability[] both = comparable(world, nextWorld, keys);
            Reachability base = both[0];
            Reachability next = both[1];
            next.items = base.items();
            next.nodeIndex = base.nodeIndex;
            boolean[] in = new boolean[base.classes.size()];
            boolean[] eg = new boolean[base.classes.size()];
            for (PolicyRules p : java.util.Arrays.asList(before, after)) {
                if (p != null) {
                    for (int c : base.selected(p)) {
                        in[c] |= p.isolates(Direction.INGRESS);
                        eg[c] |= p.isolates(Direction.EGRESS);
                    }
                }
            }
            return new PolicyChange(base, next, base.diffTouched(next, in, eg));
        }
        Reachability next = new Reachability(this, nextWorld);
        next.items = items();
        next.nodeIndex = nodeIndex; // same peers and cuts: same names and nodes
        Set<Long> touched = new java.util.HashSet<>();
        if (before != null) {
            next.remove(before, touched);
        }
        if (after != null) {
            next.add(after, touched);
        }
        boolean[] in = new boolean[classes.size()];
        boolean[] eg = new boolean[classes.size()];
        for (long t : touched) {
            ((t >>> 32) == Direction.INGRESS.ordinal() ? in : eg)[(int) t] = true;
        }
        return new PolicyChange(this, next, diffTouched(next, in, eg));
    }

    /**
     * The workload-view changes from this state to {@code next} (same peers, classes and cuts) when only
     * the ingress rows of the classes marked {@code in} and the egress rows of those marked {@code eg}
     * can differ.
     */
    private ReachDiff diffTouched(Reachability next, boolean[] in, boolean[] eg) {
        List<ReachDiff.Change> changes = new ArrayList<>();
        List<Item> all = items();
        // A pair can change only through a touched row; where that row's entry is the same before and
        // after (most entries: nothing allowed either way) and the other side's row is untouched, skip it.
        for (Item y : all) {
            if (y.peer() >= 0 && in[y.node()]) {
                Connections[] oldRow = row(Direction.INGRESS, y.node(), false);
                Connections[] newRow = next.row(Direction.INGRESS, y.node(), false);
                for (Item x : all) {
                    if (x != y && (x.peer() >= 0 && eg[x.node()] || !at(oldRow, x.node()).equals(at(newRow, x.node())))) {
                        compare(next, x, y, changes);
                    }
                }
            }
        }
        for (Item x : all) {
            if (x.peer() >= 0 && eg[x.node()]) {
                Connections[] oldRow = row(Direction.EGRESS, x.node(), false);
                Connections[] newRow = next.row(Direction.EGRESS, x.node(), false);
                for (Item y : all) {
                    // pairs into an ingress-touched class are done above
                    if (x != y && !(y.peer() >= 0 && in[y.node()]) && !at(oldRow, y.node()).equals(at(newRow, y.node()))) {
                        compare(next, x, y, changes);
                    }
                }
            }
        }
        changes.sort((a, b) -> a.src().equals(b.src()) ? a.dst().compareTo(b.dst()) : a.src().compareTo(b.src()));
        return new ReachDiff(changes);
    }

    private void compare(Reachability next, Item x, Item y, List<ReachDiff.Change> out) {
        Connections before = between(x.node(), y.node(), false);
        Connections after = next.between(x.node(), y.node(), false);
        if (!before.equals(after)) {
            boolean spoofable = after.isEmpty() ? between(x.node(), y.node(), true).isEmpty() : next.between(x.node(), y.node(), true).isEmpty();
            out.add(new ReachDiff.Change(x.name(), y.name(), before.isEmpty() ? null : before, after.isEmpty() ? null : after, spoofable));
        }
    }

    /** Every edge, sorted. */
    public List<Edge> edges() {
        List<Edge> out = new ArrayList<>();
        forEachEdge(out::add);
        return out;
    }

    /** The workload view as a graph. */
    public ReachGraph graph() {
        return new ReachGraph("workload", nodes(), edges(), new ArrayList<>(new TreeSet<>(world.warnings())));
    }

    /** Connections from {@code src} to {@code dst} (node names of the workload view); NONE when either is unknown. */
    public Connections connections(String src, String dst) {
        int s = nodeOf(src);
        int d = nodeOf(dst);
        if (s < 0 || d < 0 || Objects.equals(src, dst) || (s >= classes.size() && d >= classes.size())) {
            return Connections.NONE;
        }
        return between(s, d, false);
    }

    /** Node index by name (peers: their class; externals: classCount + index); built once, shared with derived states. */
    private volatile Map<String, Integer> nodeIndex;

    /** Node of the workload-view name {@code name}, or -1 (fast: the identity preview looks up many). */
    int node(String name) {
        Map<String, Integer> index = nodeIndex;
        if (index == null) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < world.peers().size(); i++) {
                m.put(world.peers().get(i).id(), classOfPeer[i]);
            }
            for (int e = 0; e < externals.size(); e++) {
                m.put(externals.get(e).id(), classes.size() + e);
            }
            nodeIndex = index = Map.copyOf(m);
        }
        return index.getOrDefault(name, -1);
    }

    /** Connections between two nodes (see {@link #node}); NONE between two externals. */
    Connections betweenNodes(int src, int dst, boolean strict) {
        if (src < 0 || dst < 0 || (src >= classes.size() && dst >= classes.size())) {
            return Connections.NONE;
        }
        return between(src, dst, strict);
    }

    private int nodeOf(String name) {
        for (int i = 0; i < world.peers().size(); i++) {
            if (world.peers().get(i).id().equals(name)) {
                return classOfPeer[i];
            }
        }
        for (int e = 0; e < externals.size(); e++) {
            if (externals.get(e).id().equals(name)) {
                return classes.size() + e;
            }
        }
        return -1;
    }
}
