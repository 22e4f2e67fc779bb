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

    /**
     * One rule of one policy, with its matches precomputed: the classes it admits (all of them, and those
     * admitted through peers that pin identity), and the ipBlocks that decide which external ranges it
     * admits. Externals are matched when a row is computed, so a state cut more finely (a new CIDR bound)
     * shares this rule data as it is.
     */
    private record RuleData(int id, PolicyRule rule, BitSet matched, BitSet strict, List<IpBlock> blocks, Connections constant) {

        boolean admits(ExternalRange e) {
            if (rule.allPeers()) {
                return true;
            }
            for (IpBlock b : blocks) {
                if (b.containsIpv4(e.first())) { // ranges are homogeneous: the first address decides
                    return true;
                }
            }
            return false;
        }
    }

    private record RowKey(Direction direction, boolean strict, List<Integer> rules, List<ContainerPort> ports) {}

    private final World world;
    private final IdentityKeys keys;
    private final List<ClassKey> classes;
    private final int[] classOfPeer;
    private final List<List<Integer>> peersOfClass;
    private final Map<String, List<Integer>> classesByNamespace;
    /** The classes of each namespace, and every class's labels indexed: a selector's matches in a few bit-set operations. */
    private final Map<String, BitSet> namespaceClasses;
    private final LabelIndex classLabels;
    private final PeerTables peerTables;
    private final List<Integer> classesWithIps;
    private final List<ExternalRange> externals;
    private final int nodeCount;
    /** Per direction (ordinal), per class: the rules of each policy that isolates it, by policy id (sorted). */
    private final List<List<TreeMap<String, List<RuleData>>>> isolating = new ArrayList<>();
    private final Map<RowKey, Connections[]> rows = new ConcurrentHashMap<>();
    /**
     * The state this one was derived from, whose rows it may reuse: a row depends only on its key (rule
     * ids are never reused by an ancestor), and {@code parentNode} maps this state's nodes to the
     * parent's (null: the same nodes). Null for a state built from scratch.
     */
    private final Reachability parent;
    private final int[] parentNode;
    /**
     * Per direction, the classes whose rules differ from the parent's (a state derived by a policy change,
     * same nodes): the rows of all others are the parent's, asked for rather than copied.
     */
    private final BitSet[] ownRows = {new BitSet(), new BitSet()};
    /** True when the externals are cut exactly at the bounds of this world's policies (not finer). */
    private final boolean exactCuts;
    /** Per direction and strictness ({@code 2 * ordinal + (strict ? 1 : 0)}), per class: the computed row, or null. */
    @SuppressWarnings("unchecked")
    private final AtomicReferenceArray<Connections[]>[] rowCache = new AtomicReferenceArray[4];
    private int nextRuleId;

    private Reachability(World world, IdentityKeys keys, List<ExternalRange> externals, boolean exactCuts) {
        this.world = world;
        this.keys = keys;
        this.parent = null;
        this.parentNode = null;
        this.exactCuts = exactCuts;
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
        namespaceClasses = new HashMap<>();
        classesByNamespace.forEach((ns, members) -> {
            BitSet bits = new BitSet(classes.size());
            members.forEach(bits::set);
            namespaceClasses.put(ns, bits);
        });
        classLabels = new LabelIndex(classes.stream().map(ClassKey::labels).toList());
        peerTables = new PeerTables();
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
        this(base, world, base.externals, null);
    }

    /**
     * {@code base} with its external address space cut at {@code finer} (every bound of base's cuts and
     * more): same world and rules; each row is the parent's with every range's entry copied to its pieces.
     */
    private Reachability(Reachability base, List<ExternalRange> finer) {
        this(base, base.world, finer, pieceParents(base, finer));
    }

    private Reachability(Reachability base, World world, List<ExternalRange> externals, int[] parentNode) {
        this.world = world;
        this.keys = base.keys;
        this.parent = base;
        this.parentNode = parentNode;
        this.exactCuts = false;
        this.classes = base.classes;
        this.classOfPeer = base.classOfPeer;
        this.peersOfClass = base.peersOfClass;
        this.classesByNamespace = base.classesByNamespace;
        this.namespaceClasses = base.namespaceClasses;
        this.classLabels = base.classLabels;
        this.classesWithIps = base.classesWithIps;
        this.peerTables = base.peerTables;
        this.externals = externals;
        this.nodeCount = classes.size() + externals.size();
        this.nextRuleId = base.nextRuleId;
        for (Direction d : Direction.values()) {
            isolating.add(new ArrayList<>(base.isolating.get(d.ordinal())));
        }
        for (int i = 0; i < 4; i++) {
            rowCache[i] = new AtomicReferenceArray<>(classes.size());
        }
    }

    /** For each node of {@code base} cut at {@code finer}: the node of {@code base} it lies in. */
    private static int[] pieceParents(Reachability base, List<ExternalRange> finer) {
        int cc = base.classes.size();
        int[] out = new int[cc + finer.size()];
        for (int c = 0; c < cc; c++) {
            out[c] = c;
        }
        int e = 0;
        for (int f = 0; f < finer.size(); f++) {
            while (base.externals.get(e).last() < finer.get(f).first()) {
                e++;
            }
            out[cc + f] = cc + e;
        }
        return out;
    }

    /** Classes of the policy's namespace that its podSelector selects. */
    private List<Integer> selected(PolicyRules p) {
        BitSet bits = namespaceClasses.get(p.namespace());
        if (bits == null) {
            return List.of();
        }
        BitSet selected = classLabels.select(p.podSelector());
        selected.and(bits);
        return selected.stream().boxed().toList();
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
                data.add(ruleData(nextRuleId++, r));
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

    /** A rule with its matches over this state's classes. */
    private RuleData ruleData(int id, PolicyRule r) {
        BitSet matched = new BitSet(classes.size());
        BitSet strict = new BitSet(classes.size());
        List<IpBlock> blocks = new ArrayList<>();
        if (r.allPeers()) {
            matched.set(0, classes.size());
            strict.set(0, classes.size());
        }
        for (Peer peer : r.peers()) {
            BitSet m = match(peer);
            matched.or(m);
            if (!Spoofing.isSpoofable(peer, keys)) {
                strict.or(m);
            }
            if (peer.isIpBlock()) {
                blocks.add(peer.ipBlock());
            }
        }
        return new RuleData(id, r, matched, strict, List.copyOf(blocks), r.hasNamedPorts() ? null : r.connections(List.of()));
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
        ownRows[d.ordinal()].set(c);
        if (touched != null) {
            touched.add(((long) d.ordinal() << 32) | c);
        }
    }

    /** Computes reachability of {@code world}; {@code keys} tell which labels pin identity (spoofable edges). */
    public static Reachability of(World world, IdentityKeys keys) {
        return new Reachability(world, keys, ExternalRange.cuts(world.policies()), true);
    }

    /**
     * The reachability of {@code before} and of {@code after} with the external address space cut alike
     * (at the bounds of both worlds' policies), so the two can be compared: cut apart, a range one side
     * splits would read as removed and its pieces as added though no address changed.
     */
    public static Reachability[] comparable(World before, World after, IdentityKeys keys) {
        List<ExternalRange> cuts = ExternalRange.cuts(before.policies(), after.policies());
        return new Reachability[] {new Reachability(before, keys, cuts, false), new Reachability(after, keys, cuts, false)};
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
            return m; // external ranges: see RuleData#admits
        }
        for (Map.Entry<String, BitSet> ns : namespaceClasses.entrySet()) {
            if (peer.matchesNamespace(ns.getKey(), world.namespaceLabels(ns.getKey()))) {
                m.or(ns.getValue());
            }
        }
        if (peer.podSelector() != null && !m.isEmpty()) {
            m.and(classLabels.select(peer.podSelector()));
        }
        return m;
    }

    /**
     * Row of class {@code c} in direction {@code d}: for ingress, per source node what it may send to
     * {@code c}; for egress, per destination node what {@code c} may send it. Null when nothing isolates
     * {@code c} in that direction (everything allowed). {@code strict} leaves out spoofable peers.
     */
    private Connections[] row(Direction d, int c, boolean strict) {
        if (parent != null && parentNode == null && !ownRows[d.ordinal()].get(c)) {
            return parent.row(d, c, strict);
        }
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
            Connections[] inherited = inherited(k);
            return inherited != null ? inherited : computeRow(d, rules, strict, ports);
        });
        cache.set(c, row);
        return row;
    }

    private Connections[] computeRow(Direction d, List<RuleData> rules, boolean strict, List<ContainerPort> ports) {
        Connections[] out = new Connections[nodeCount];
        int cc = classes.size();
        for (RuleData r : rules) {
            BitSet m = strict ? r.strict() : r.matched();
            Connections fixed = r.constant() != null ? r.constant() : d == Direction.INGRESS ? r.rule().connections(ports) : null;
            for (int i = m.nextSetBit(0); i >= 0; i = m.nextSetBit(i + 1)) {
                add(out, i, fixed != null ? fixed : r.rule().connections(classes.get(i).ports()));
            }
            if (r.rule().allPeers() || !r.blocks().isEmpty()) {
                // externals declare no container port: a named port opens nothing to them
                Connections toExternals = fixed != null ? fixed : r.rule().connections(List.of());
                for (int e = 0; e < externals.size(); e++) {
                    if (r.admits(externals.get(e))) {
                        add(out, cc + e, toExternals);
                    }
                }
            }
        }
        return out;
    }

    private static void add(Connections[] row, int i, Connections conns) {
        if (!conns.isEmpty()) {
            row[i] = row[i] == null ? conns : row[i].union(conns);
        }
    }

    /** The row of {@code key} as an ancestor state computed it, mapped onto this state's nodes; null when none did. */
    private Connections[] inherited(RowKey key) {
        if (parent == null) {
            return null;
        }
        Connections[] theirs = parent.rows.get(key);
        if (theirs == null) {
            theirs = parent.inherited(key);
        }
        if (theirs == null || parentNode == null) {
            return theirs;
        }
        Connections[] mine = new Connections[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            mine[i] = theirs[parentNode[i]];
        }
        return mine;
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

    private static final java.util.Comparator<Item> BY_NAME = (a, b) -> a.name().compareTo(b.name());

    /**
     * What depends only on the peers, so every state derived from one world's peers shares it (policy
     * changes and finer cuts keep the peers): built on first use.
     */
    private static final class PeerTables {
        volatile List<Item> sortedPeers;
        volatile Map<String, Integer> peerIndex;
        volatile Map<String, int[]> identityClasses;
    }

    private volatile List<Item> items;

    /** Every node, sorted by name: the peers (sorted once for all derived states) merged with this state's external ranges. */
    private List<Item> items() {
        List<Item> all = items;
        if (all == null) {
            List<Item> peers = sortedPeers();
            List<Item> outside = new ArrayList<>();
            for (int e = 0; e < externals.size(); e++) {
                outside.add(new Item(externals.get(e).id(), classes.size() + e, -1));
            }
            outside.sort(BY_NAME);
            List<Item> out = new ArrayList<>(peers.size() + outside.size());
            int i = 0;
            int j = 0;
            while (i < peers.size() || j < outside.size()) {
                out.add(j >= outside.size() || i < peers.size() && BY_NAME.compare(peers.get(i), outside.get(j)) <= 0 ? peers.get(i++) : outside.get(j++));
            }
            items = all = List.copyOf(out);
        }
        return all;
    }

    private List<Item> sortedPeers() {
        List<Item> peers = peerTables.sortedPeers;
        if (peers == null) {
            List<Item> out = new ArrayList<>();
            for (int i = 0; i < world.peers().size(); i++) {
                out.add(new Item(world.peers().get(i).id(), classOfPeer[i], i));
            }
            out.sort(BY_NAME);
            peerTables.sortedPeers = peers = List.copyOf(out);
        }
        return peers;
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
        List<PolicyRules> policies = new ArrayList<>(world.policies());
        PolicyRules before = null;
        for (int i = 0; i < policies.size(); i++) {
            if (policies.get(i).id().equals(id)) {
                before = policies.remove(i);
                break;
            }
        }
        if (after != null) {
            policies.add(after);
        }
        World nextWorld = world.withPolicies(policies);
        // Both sides are cut alike, at the bounds of both worlds' policies. A deletion, or a policy whose
        // bounds are all known, keeps this state's cuts; new bounds split some ranges, and this state cut
        // finer keeps its rules and rows (each piece inherits its range's entries). Either way only the
        // rows of the classes the old or new policy selects are recomputed.
        if (exactCuts && (after == null || boundSet().containsAll(ExternalRange.bounds(after)))) {
            return changed(before, after, nextWorld); // the union of both worlds' bounds is this world's
        }
        List<ExternalRange> cuts = ExternalRange.cuts(world.policies(), nextWorld.policies());
        if (!cuts.equals(externals)) {
            if (!refines(cuts)) {
                return fromScratch(before, after, nextWorld);
            }
            return new Reachability(this, cuts).changed(before, after, nextWorld);
        }
        return changed(before, after, nextWorld);
    }

    /** True when {@code cuts} cut the address space at every bound this state's externals are cut at (and maybe more). */
    private boolean refines(List<ExternalRange> cuts) {
        Set<Long> bounds = new java.util.HashSet<>();
        cuts.forEach(c -> bounds.add(c.first()));
        return externals.stream().allMatch(e -> bounds.contains(e.first()));
    }

    private volatile Set<Long> boundSet;

    /** Where the externals are cut: the first address of each range and 2^32. */
    private Set<Long> boundSet() {
        Set<Long> bounds = boundSet;
        if (bounds == null) {
            Set<Long> m = new java.util.HashSet<>();
            externals.forEach(e -> m.add(e.first()));
            m.add(1L << 32);
            boundSet = bounds = Set.copyOf(m);
        }
        return bounds;
    }

    /** The change computed from two states built from scratch: for a state whose cuts have bounds neither world has. */
    private PolicyChange fromScratch(PolicyRules before, PolicyRules after, World nextWorld) {
        Reachability[] both = comparable(world, nextWorld, keys);
        Reachability base = both[0];
        Reachability next = both[1];
        next.items = base.items();
        next.externalIndex = base.externalIndex();
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

    /** The change from this state to {@code nextWorld}, whose policies differ by {@code before} → {@code after} and whose cuts are this state's. */
    private PolicyChange changed(PolicyRules before, PolicyRules after, World nextWorld) {
        Reachability next = new Reachability(this, nextWorld);
        next.items = items();
        next.externalIndex = externalIndex(); // same peers and cuts: same names and nodes
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
        // A touched row that is the same row after the change (same rules, so the same memoised array)
        // changes nothing: only the others are walked.
        boolean[] inChanged = changedRows(next, Direction.INGRESS, in);
        boolean[] egChanged = changedRows(next, Direction.EGRESS, eg);
        List<ReachDiff.Change> changes = new ArrayList<>();
        List<Item> all = items();
        // A pair (x, y) changes only if y's ingress entry for x or x's egress entry for y does. Pairs into
        // a changed ingress row are compared here when that entry differs or x's egress row changed...
        for (Item y : all) {
            if (y.peer() >= 0 && inChanged[y.node()]) {
                Connections[] oldRow = row(Direction.INGRESS, y.node(), false);
                Connections[] newRow = next.row(Direction.INGRESS, y.node(), false);
                for (Item x : all) {
                    if (x != y && (x.peer() >= 0 && egChanged[x.node()] || differ(oldRow, newRow, x.node()))) {
                        compare(next, x, y, changes);
                    }
                }
            }
        }
        // ...and pairs out of a changed egress row into any other destination when that entry differs.
        for (Item x : all) {
            if (x.peer() >= 0 && egChanged[x.node()]) {
                Connections[] oldRow = row(Direction.EGRESS, x.node(), false);
                Connections[] newRow = next.row(Direction.EGRESS, x.node(), false);
                for (Item y : all) {
                    if (x != y && !(y.peer() >= 0 && inChanged[y.node()]) && differ(oldRow, newRow, y.node())) {
                        compare(next, x, y, changes);
                    }
                }
            }
        }
        changes.sort((a, b) -> a.src().equals(b.src()) ? a.dst().compareTo(b.dst()) : a.src().compareTo(b.src()));
        return new ReachDiff(changes);
    }

    /** Which of the {@code touched} classes have a different (non-strict) row in direction {@code d} in {@code next}. */
    private boolean[] changedRows(Reachability next, Direction d, boolean[] touched) {
        boolean[] out = new boolean[touched.length];
        for (int c = 0; c < touched.length; c++) {
            out[c] = touched[c] && row(d, c, false) != next.row(d, c, false);
        }
        return out;
    }

    private static boolean differ(Connections[] oldRow, Connections[] newRow, int node) {
        if (oldRow != null && newRow != null && oldRow[node] == newRow[node]) {
            return false;
        }
        return !at(oldRow, node).equals(at(newRow, node));
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
        int s = node(src);
        int d = node(dst);
        if (s < 0 || d < 0 || Objects.equals(src, dst) || (s >= classes.size() && d >= classes.size())) {
            return Connections.NONE;
        }
        return between(s, d, false);
    }

    /** External node by range name; built on first use, shared with states of the same cuts. */
    private volatile Map<String, Integer> externalIndex;

    private Map<String, Integer> externalIndex() {
        Map<String, Integer> index = externalIndex;
        if (index == null) {
            Map<String, Integer> m = new HashMap<>();
            for (int e = 0; e < externals.size(); e++) {
                m.put(externals.get(e).id(), classes.size() + e);
            }
            externalIndex = index = Map.copyOf(m);
        }
        return index;
    }

    /** Index of the peer named {@code id} in the world, or -1; the table is shared by every state with these peers. */
    int peerIndex(String id) {
        Map<String, Integer> index = peerTables.peerIndex;
        if (index == null) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < world.peers().size(); i++) {
                m.put(world.peers().get(i).id(), i);
            }
            peerTables.peerIndex = index = Map.copyOf(m);
        }
        return index.getOrDefault(id, -1);
    }

    /** The world's peer named {@code id}, or null (a table shared by every state with these peers). */
    public ReachPeer peer(String id) {
        int i = peerIndex(id);
        return i < 0 ? null : world.peers().get(i);
    }

    /** The external range named {@code id}, or null. */
    public ExternalRange external(String id) {
        Integer node = externalIndex().get(id);
        return node == null ? null : externals.get(node - classes.size());
    }

    /** Node of the workload-view name {@code name} (a peer's class, or an external range), or -1 (fast: the identity preview looks up many). */
    int node(String name) {
        int peer = peerIndex(name);
        return peer >= 0 ? classOfPeer[peer] : externalIndex().getOrDefault(name, -1);
    }

    /** Connections between two nodes (see {@link #node}); NONE between two externals. */
    Connections betweenNodes(int src, int dst, boolean strict) {
        if (src < 0 || dst < 0 || (src >= classes.size() && dst >= classes.size())) {
            return Connections.NONE;
        }
        return between(src, dst, strict);
    }

    /** The node of the world's peer at {@code index} (its class); see {@link #linksOf}. */
    public int nodeOfPeer(int index) {
        return classOfPeer[index];
    }

    /** The node of external range {@code index} of {@link #externals()}. */
    public int nodeOfExternal(int index) {
        return classes.size() + index;
    }

    /**
     * How a pod would connect with every node of this state once it runs: {@code pod} as admission sees
     * it (new, or relabelled; it need not be part of the world, and pairs with a peer of its own id mean
     * nothing). Adding a pod changes only the pairs it is part of, so these are computed from the
     * policies' rules directly, bit sets over classes, without rebuilding the world: what keeps the
     * invariants on a pod CREATE cheap.
     */
    public PeerLinks linksOf(ReachPeer pod) {
        Connections[][] own = new Connections[4][]; // the pod's rows: 2 * direction + strict; null = not isolated
        for (Direction d : Direction.values()) {
            List<RuleData> rules = null;
            for (PolicyRules p : world.policies()) {
                if (p.namespace().equals(pod.namespace()) && p.isolates(d) && Selectors.matches(p.podSelector(), pod.labels())) {
                    rules = rules == null ? new ArrayList<>() : rules;
                    for (PolicyRule r : p.rules(d)) {
                        rules.add(ruleData(-1, r));
                    }
                }
            }
            if (rules != null) {
                List<ContainerPort> ports = d == Direction.INGRESS ? pod.ports() : List.of();
                own[2 * d.ordinal()] = computeRow(d, rules, false, ports);
                own[2 * d.ordinal() + 1] = computeRow(d, rules, true, ports);
            }
        }
        return new PeerLinks(pod, world.namespaceLabels(pod.namespace()), own);
    }

    /** What class {@code c}'s {@code d} rules allow it to exchange with {@code pod}: ALL when nothing isolates it. */
    private Connections aboutPod(Direction d, int c, ReachPeer pod, Map<String, String> namespaceLabels, boolean strict,
            Map<RuleData, Connections[]> judged) {
        TreeMap<String, List<RuleData>> policies = isolating.get(d.ordinal()).get(c);
        if (policies.isEmpty()) {
            return Connections.ALL;
        }
        Connections out = Connections.NONE;
        for (List<RuleData> rules : policies.values()) {
            for (RuleData r : rules) {
                Connections[] admitted = judged.computeIfAbsent(r, k -> admits(k.rule(), pod, namespaceLabels));
                Connections conns = admitted[strict ? 1 : 0];
                if (conns == null) { // admitted; the ports are the destination's: the pod's for egress, c's for ingress
                    conns = r.constant() != null ? r.constant() : r.rule().connections(d == Direction.EGRESS ? pod.ports() : classes.get(c).ports());
                }
                out = out.union(conns);
            }
        }
        return out;
    }

    /** {all, strict}: NONE when the rule does not admit the pod, null when it does (the connections depend on the ports). */
    private Connections[] admits(PolicyRule rule, ReachPeer pod, Map<String, String> namespaceLabels) {
        boolean any = rule.allPeers();
        boolean pinned = rule.allPeers();
        for (Peer peer : rule.peers()) {
            if (peer.matchesPod(pod.namespace(), namespaceLabels, pod.labels(), pod.ips())) {
                any = true;
                pinned |= !Spoofing.isSpoofable(peer, keys);
            }
        }
        return new Connections[] {any ? null : Connections.NONE, pinned ? null : Connections.NONE};
    }

    /**
     * A pod's connections with the nodes of a state ({@link #linksOf}): into it from a node, and out of it
     * to a node, computed when asked (a pod outside every protected identity is only ever asked about the
     * protected ones), each of the other classes' rules judged against the pod once. For one thread.
     */
    public final class PeerLinks {
        private final ReachPeer pod;
        private final Map<String, String> namespaceLabels;
        private final Connections[][] own;
        private final Map<RuleData, Connections[]> judged = new java.util.IdentityHashMap<>();

        private PeerLinks(ReachPeer pod, Map<String, String> namespaceLabels, Connections[][] own) {
            this.pod = pod;
            this.namespaceLabels = namespaceLabels;
            this.own = own;
        }

        /** From node {@code node} to the pod; {@code strict} leaves out what only spoofable peers allow. */
        public Connections into(int node, boolean strict) {
            Connections ingressOfPod = at(own[2 * Direction.INGRESS.ordinal() + (strict ? 1 : 0)], node);
            if (node >= classes.size() || ingressOfPod.isEmpty()) {
                return ingressOfPod;
            }
            return aboutPod(Direction.EGRESS, node, pod, namespaceLabels, strict, judged).intersect(ingressOfPod);
        }

        /** From the pod to node {@code node}. */
        public Connections out(int node, boolean strict) {
            Connections egressOfPod = at(own[2 * Direction.EGRESS.ordinal() + (strict ? 1 : 0)], node);
            if (node >= classes.size() || egressOfPod.isEmpty()) {
                return egressOfPod;
            }
            return egressOfPod.intersect(aboutPod(Direction.INGRESS, node, pod, namespaceLabels, strict, judged));
        }
    }

    /** The identity (ServiceAccount view name) of the workload-view node named {@code name}; an external range is its own. */
    String identityOf(String name) {
        int peer = peerIndex(name);
        return peer >= 0 ? world.peers().get(peer).identityId() : name;
    }

    /** The nodes of identity {@code identity}: the classes of its peers, or the external range of that name; empty when unknown. */
    int[] identityNodes(String identity) {
        Map<String, int[]> table = peerTables.identityClasses;
        if (table == null) {
            Map<String, TreeSet<Integer>> m = new HashMap<>();
            for (int i = 0; i < world.peers().size(); i++) {
                m.computeIfAbsent(world.peers().get(i).identityId(), k -> new TreeSet<>()).add(classOfPeer[i]);
            }
            Map<String, int[]> built = new HashMap<>();
            m.forEach((id, nodes) -> built.put(id, nodes.stream().mapToInt(Integer::intValue).toArray()));
            peerTables.identityClasses = table = Map.copyOf(built);
        }
        int[] nodes = table.get(identity);
        if (nodes != null) {
            return nodes;
        }
        Integer external = externalIndex().get(identity);
        return external == null ? new int[0] : new int[] {external};
    }
}
