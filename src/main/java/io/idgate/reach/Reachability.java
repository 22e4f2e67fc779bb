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
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
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
 * <p><b>Nodes</b> are the external ranges first, then the classes ({@code externals().size() + class}),
 * so a state with more classes (a pod joined) keeps every node of the state it came from, and a row
 * computed before is still the row of its rules when no rule matches a new class: a row shorter
 * than the node count reads as nothing allowed beyond its end. Rows keep only their set entries
 * ({@link Row}): they are sparse, and the live state holds hundreds of them.
 *
 * <p><b>Live states.</b> {@link #withPolicy}, {@link #withoutPolicy} and {@link #withPeers} derive the
 * next state from this one without changing it. Classes are only ever appended: a class whose peers
 * left stays (it has no peers, so nothing shows it) until the dead outnumber the living and the
 * state is rebuilt from scratch.
 *
 * <p>Safe to share between threads once built: rows are computed lazily, published through a
 * {@link ConcurrentHashMap} and {@link AtomicReferenceArray}s (two threads may compute the same row;
 * both get equal rows).
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

    /** A policy's rules with their matches, per direction (empty for a direction it does not isolate). */
    private record PolicyData(List<RuleData> ingress, List<RuleData> egress) {

        List<RuleData> rules(Direction d) {
            return d == Direction.INGRESS ? ingress : egress;
        }
    }

    private record RowKey(Direction direction, boolean strict, List<Integer> rules, List<ContainerPort> ports) {}

    /**
     * Chains of states derived by policy changes are flattened at this depth, so the live state holds no
     * long history: each state of a chain holds per-class tables of its own. 16 held 2.9 MiB more with
     * 5,000 pods than 4, and following 500 policies was no faster ({@code bench/live-reach-footprint.sh}).
     */
    private static final int MAX_DEPTH = 4;

    private final World world;
    private final IdentityKeys keys;
    /** Every class this state or an ancestor it was derived from by {@link #withPeers} ever had; append-only. */
    private final List<ClassKey> classes;
    /**
     * Class of each key, shared by every state derived from one built from scratch (states may branch, so
     * an entry counts only when it is below this state's class count and names the same key; a key
     * another branch took is appended again, and two classes with one key are merely two equal classes).
     */
    private final Map<ClassKey, Integer> classIndex;
    private final int[] classOfPeer;
    /** Classes with at least one peer of this world. */
    private final int liveClasses;
    /** The classes of each namespace, and every class's labels indexed: a selector's matches in a few bit-set operations. */
    private final Map<String, BitSet> namespaceClasses;
    private final LabelIndex classLabels;
    private final PeerTables peerTables;
    private final List<Integer> classesWithIps;
    private final List<ExternalRange> externals;
    private final int nodeCount;
    /** Every policy of the world with its rules' matches, by id. */
    private final Map<String, PolicyData> policyData;
    /** Per direction (ordinal), per class: the ids of the policies that isolate it, sorted. */
    private final List<List<List<String>>> isolating = new ArrayList<>();
    private final Map<RowKey, Row> rows = new ConcurrentHashMap<>();
    /**
     * The state this one was derived from by a policy change, whose rows it may reuse: a row depends
     * only on its key (rule ids are never reused by an ancestor), and {@code parentNode} maps this
     * state's nodes to the parent's (null: the same nodes). Null for a state built from scratch or by
     * {@link #withPeers}, which takes over its ancestors' rows.
     */
    private final Reachability parent;
    private final int[] parentNode;
    private final int depth;
    /**
     * Per direction, the classes whose rules differ from the parent's (a state derived by a policy change,
     * same nodes): the rows of all others are the parent's, asked for rather than copied.
     */
    private final BitSet[] ownRows = {new BitSet(), new BitSet()};
    /** True when the externals are cut exactly at the bounds of this world's policies (not finer). */
    private final boolean exactCuts;
    /** Per direction and strictness ({@code 2 * ordinal + (strict ? 1 : 0)}), per class: the computed row, or null. */
    @SuppressWarnings("unchecked")
    private final AtomicReferenceArray<Row>[] rowCache = new AtomicReferenceArray[4];
    private int nextRuleId;

    private Reachability(World world, IdentityKeys keys, List<ExternalRange> externals, boolean exactCuts) {
        this.world = world;
        this.keys = keys;
        this.parent = null;
        this.parentNode = null;
        this.depth = 0;
        this.exactCuts = exactCuts;
        this.externals = externals;
        classes = new ArrayList<>();
        classIndex = new ConcurrentHashMap<>();
        classOfPeer = new int[world.peers().size()];
        classesWithIps = new ArrayList<>();
        namespaceClasses = new HashMap<>();
        for (int i = 0; i < world.peers().size(); i++) {
            classOfPeer[i] = classOf(world.peers().get(i), classes, classIndex, namespaceClasses, classesWithIps);
        }
        liveClasses = classes.size();
        classLabels = new LabelIndex(classes.stream().map(ClassKey::labels).toList());
        peerTables = new PeerTables();
        nodeCount = externals.size() + classes.size();
        policyData = new HashMap<>();
        for (Direction d : Direction.values()) {
            isolating.add(new ArrayList<>(java.util.Collections.nCopies(classes.size(), List.of())));
        }
        newRowCache();
        for (PolicyRules p : world.policies()) {
            add(p, null);
        }
    }

    /** The class of {@code p}, appended (with its namespace and address entries) when it is new. */
    private static int classOf(ReachPeer p, List<ClassKey> classes, Map<ClassKey, Integer> index, Map<String, BitSet> namespaceClasses,
            List<Integer> classesWithIps) {
        ClassKey k = new ClassKey(p.namespace(), p.labels(), p.ports(), p.ips());
        Integer c = index.get(k);
        if (c == null || c >= classes.size() || !classes.get(c).equals(k)) {
            c = classes.size();
            index.put(k, c);
            classes.add(k);
            namespaceClasses.computeIfAbsent(p.namespace(), n -> new BitSet()).set(c);
            if (!p.ips().isEmpty()) {
                classesWithIps.add(c);
            }
        }
        return c;
    }

    private void newRowCache() {
        for (int i = 0; i < 4; i++) {
            rowCache[i] = new AtomicReferenceArray<>(classes.size());
        }
    }

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
        this.depth = base.depth + 1;
        this.exactCuts = false;
        this.classes = base.classes;
        this.classIndex = base.classIndex;
        this.classOfPeer = base.classOfPeer;
        this.liveClasses = base.liveClasses;
        this.namespaceClasses = base.namespaceClasses;
        this.classLabels = base.classLabels;
        this.classesWithIps = base.classesWithIps;
        this.peerTables = base.peerTables;
        this.externals = externals;
        this.nodeCount = externals.size() + classes.size();
        this.nextRuleId = base.nextRuleId;
        this.policyData = new HashMap<>(base.policyData);
        for (Direction d : Direction.values()) {
            isolating.add(new ArrayList<>(base.isolating.get(d.ordinal())));
        }
        newRowCache();
    }

    /**
     * The state of {@code next}, whose peers differ from base's (same namespaces and policies): classes
     * new to it are appended, each rule's matches extended to them, and every row base and its ancestors
     * computed taken over, extended where a rule matches a new class. The parent is not kept.
     *
     * @param takeOver only tells this constructor from the policy change's ({@code true})
     */
    private Reachability(Reachability base, World next, boolean takeOver) {
        this.world = next;
        this.keys = base.keys;
        this.parent = null;
        this.parentNode = null;
        this.depth = 0;
        this.exactCuts = base.exactCuts;
        this.externals = base.externals;
        this.classes = new ArrayList<>(base.classes);
        this.classIndex = base.classIndex;
        this.classesWithIps = new ArrayList<>(base.classesWithIps);
        int before = classes.size();
        Map<String, BitSet> byNamespace = new HashMap<>();
        classOfPeer = new int[next.peers().size()];
        BitSet live = new BitSet();
        // both peer lists are sorted by id: a peer that is the same object as base's keeps its class
        List<ReachPeer> basePeers = base.world.peers();
        int j = 0;
        for (int i = 0; i < classOfPeer.length; i++) {
            ReachPeer p = next.peers().get(i);
            while (j < basePeers.size() && basePeers.get(j) != p && basePeers.get(j).id().compareTo(p.id()) < 0) {
                j++;
            }
            if (j < basePeers.size() && basePeers.get(j) == p) {
                classOfPeer[i] = base.classOfPeer[j++];
            } else {
                classOfPeer[i] = classOf(p, classes, classIndex, byNamespace, classesWithIps);
            }
            live.set(classOfPeer[i]);
        }
        liveClasses = live.cardinality();
        namespaceClasses = new HashMap<>(base.namespaceClasses);
        byNamespace.forEach((ns, added) -> namespaceClasses.merge(ns, added, (old, add) -> {
            BitSet merged = (BitSet) old.clone();
            merged.or(add);
            return merged;
        }));
        List<ClassKey> added = classes.subList(before, classes.size());
        classLabels = base.classLabels.plus(added.stream().map(ClassKey::labels).toList());
        peerTables = new PeerTables();
        nodeCount = externals.size() + classes.size();
        nextRuleId = base.nextRuleId;
        policyData = new HashMap<>(base.policyData);
        if (!added.isEmpty()) {
            policyData.replaceAll((id, data) -> extended(data, before));
        }
        for (Direction d : Direction.values()) {
            List<List<String>> perClass = new ArrayList<>(base.isolating.get(d.ordinal()));
            Map<List<String>, List<String>> shared = new HashMap<>(); // one list per distinct set of ids, as add() keeps them
            for (int c = before; c < classes.size(); c++) {
                ClassKey k = classes.get(c);
                List<String> ids = new ArrayList<>();
                for (PolicyRules p : next.policies()) {
                    if (p.isolates(d) && p.selects(k.namespace(), k.labels())) {
                        ids.add(p.id());
                    }
                }
                ids.sort(null);
                perClass.add(ids.isEmpty() ? List.of() : shared.computeIfAbsent(ids, List::copyOf));
            }
            isolating.add(perClass);
        }
        newRowCache();
        Map<Integer, RuleData> byId = new HashMap<>();
        policyData.values().forEach(data -> {
            data.ingress().forEach(r -> byId.put(r.id(), r));
            data.egress().forEach(r -> byId.put(r.id(), r));
        });
        // the rows computed along base's chain (same nodes up to a change of cuts, whose own rows are in base's layout)
        for (Reachability s = base; s != null; s = s.parentNode == null ? s.parent : null) {
            s.rows.forEach((key, row) -> {
                if (!rows.containsKey(key)) {
                    Row carried = carried(key, row, before, byId);
                    if (carried != null) {
                        rows.put(key, carried);
                    }
                }
            });
        }
    }

    /** {@code data} with each rule's matches extended to the classes from {@code from} on. */
    private PolicyData extended(PolicyData data, int from) {
        return new PolicyData(extended(data.ingress(), from), extended(data.egress(), from));
    }

    private List<RuleData> extended(List<RuleData> rules, int from) {
        List<RuleData> out = null;
        for (int i = 0; i < rules.size(); i++) {
            RuleData r = rules.get(i);
            BitSet matched = r.matched();
            BitSet strict = r.strict();
            for (int c = from; c < classes.size(); c++) {
                ClassKey k = classes.get(c);
                int admitted = admission(r.rule(), k.namespace(), world.namespaceLabels(k.namespace()), k.labels(), k.ips());
                if ((admitted & ADMITTED) != 0) {
                    matched = matched == r.matched() ? (BitSet) matched.clone() : matched;
                    matched.set(c);
                }
                if ((admitted & PINNED) != 0) {
                    strict = strict == r.strict() ? (BitSet) strict.clone() : strict;
                    strict.set(c);
                }
            }
            if (matched != r.matched() || strict != r.strict()) {
                out = out == null ? new ArrayList<>(rules) : out;
                out.set(i, new RuleData(r.id(), r.rule(), matched, strict, r.blocks(), r.constant()));
            }
        }
        return out == null ? rules : List.copyOf(out);
    }

    /**
     * A row an ancestor computed for {@code key}, as this state's: the same array when no rule of the key
     * matches a class from {@code from} on, else extended to them; null when a rule of the key is gone.
     */
    private Row carried(RowKey key, Row row, int from, Map<Integer, RuleData> byId) {
        List<RuleData> rules = new ArrayList<>(key.rules().size());
        boolean grows = false;
        for (int id : key.rules()) {
            RuleData r = byId.get(id);
            if (r == null) {
                return null;
            }
            rules.add(r);
            grows |= (key.strict() ? r.strict() : r.matched()).nextSetBit(from) >= 0;
        }
        if (!grows) {
            return row;
        }
        Row.Builder out = new Row.Builder(row, nodeCount);
        fillClasses(out, key.direction(), rules, key.strict(), key.ports(), from);
        return out.build();
    }

    /** For each node of {@code base} cut at {@code finer}: the node of {@code base} it lies in. */
    private static int[] pieceParents(Reachability base, List<ExternalRange> finer) {
        int[] out = new int[finer.size() + base.classes.size()];
        int e = 0;
        for (int f = 0; f < finer.size(); f++) {
            while (base.externals.get(e).last() < finer.get(f).first()) {
                e++;
            }
            out[f] = e;
        }
        for (int c = 0; c < base.classes.size(); c++) {
            out[finer.size() + c] = base.externals.size() + c;
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
        List<List<RuleData>> data = new ArrayList<>();
        for (Direction d : Direction.values()) {
            List<RuleData> rules = new ArrayList<>();
            if (p.isolates(d)) {
                for (PolicyRule r : p.rules(d)) {
                    rules.add(ruleData(nextRuleId++, r));
                }
            }
            data.add(List.copyOf(rules));
        }
        policyData.put(p.id(), new PolicyData(data.get(Direction.INGRESS.ordinal()), data.get(Direction.EGRESS.ordinal())));
        List<Integer> selected = selected(p);
        for (Direction d : Direction.values()) {
            if (!p.isolates(d)) {
                continue;
            }
            List<List<String>> perClass = isolating.get(d.ordinal());
            // classes that had the same ids share the new list too (a default-deny isolates every class of its namespace)
            Map<List<String>, List<String>> withIt = new java.util.IdentityHashMap<>();
            for (int c : selected) {
                perClass.set(c, withIt.computeIfAbsent(perClass.get(c), ids -> withId(ids, p.id())));
                forget(d, c, touched);
            }
        }
    }

    private static List<String> withId(List<String> ids, String id) {
        List<String> out = new ArrayList<>(ids.size() + 1);
        out.addAll(ids);
        int at = java.util.Collections.binarySearch(out, id);
        if (at < 0) {
            out.add(-at - 1, id);
        }
        return List.copyOf(out);
    }

    /** A rule with its matches over this state's classes. */
    private RuleData ruleData(int id, PolicyRule r) {
        BitSet matched = new BitSet(); // grown to its highest match only: a rule that matches few classes stays small
        BitSet strict = new BitSet();
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

    private static final int ADMITTED = 1;
    private static final int PINNED = 2;

    /** Whether {@code rule} admits one pod ({@link #ADMITTED}), and through a peer that pins identity ({@link #PINNED}). */
    private int admission(PolicyRule rule, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels, List<Cidr> ips) {
        if (rule.allPeers()) {
            return ADMITTED | PINNED;
        }
        int out = 0;
        for (Peer peer : rule.peers()) {
            if (peer.matchesPod(namespace, namespaceLabels, labels, ips)) {
                out |= ADMITTED | (Spoofing.isSpoofable(peer, keys) ? 0 : PINNED);
            }
        }
        return out;
    }

    /** Unregisters the policy {@code p} (as it was in this state) from the classes it isolated. */
    private void remove(PolicyRules p, Set<Long> touched) {
        policyData.remove(p.id());
        for (Direction d : Direction.values()) {
            List<List<String>> perClass = isolating.get(d.ordinal());
            Map<List<String>, List<String>> withoutIt = new java.util.IdentityHashMap<>();
            for (int c : selected(p)) {
                List<String> ids = perClass.get(c);
                if (ids.contains(p.id())) {
                    perClass.set(c, withoutIt.computeIfAbsent(ids, had -> {
                        List<String> rest = new ArrayList<>(had);
                        rest.remove(p.id());
                        return rest.isEmpty() ? List.of() : List.copyOf(rest);
                    }));
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

    /**
     * The reachability of {@code next}, a world whose peers differ from this one's (pods started, stopped
     * or relabelled): only what the changed peers touch is computed. A world whose namespaces or
     * policies differ too (not the same {@link PolicyRules} objects) is computed from scratch, and so is
     * one where classes no peer has any more outnumber the living. This state is unchanged.
     */
    public Reachability withPeers(World next) {
        if (!next.namespaces().equals(world.namespaces()) || !samePolicies(next.policies(), world.policies())) {
            return of(next, keys);
        }
        Reachability r = new Reachability(this, next, true);
        int dead = r.classes.size() - r.liveClasses;
        return dead > 64 && dead > r.liveClasses ? new Reachability(next, keys, externals, exactCuts) : r;
    }

    private static boolean samePolicies(List<PolicyRules> a, List<PolicyRules> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    public World world() {
        return world;
    }

    /** The external IPv4 ranges: the address space cut at every IPv4 CIDR and except bound of the policies. */
    public List<ExternalRange> externals() {
        return externals;
    }

    /** Number of peer classes, including those no peer has any more (for figures and tests). */
    public int classCount() {
        return classes.size();
    }

    private BitSet match(Peer peer) {
        BitSet m = new BitSet(classes.size());
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

    /** The rules that isolate class {@code c} in direction {@code d}, in policy id order; empty when none does. */
    private List<RuleData> rulesOf(Direction d, int c) {
        List<String> ids = isolating.get(d.ordinal()).get(c);
        if (ids.isEmpty()) {
            return List.of();
        }
        List<RuleData> rules = new ArrayList<>();
        for (String id : ids) {
            rules.addAll(policyData.get(id).rules(d));
        }
        return rules;
    }

    /**
     * Row of class {@code c} in direction {@code d}: for ingress, per source node what it may send to
     * {@code c}; for egress, per destination node what {@code c} may send it. Null when nothing isolates
     * {@code c} in that direction (everything allowed). {@code strict} leaves out spoofable peers.
     */
    private Row row(Direction d, int c, boolean strict) {
        if (parent != null && parentNode == null && !ownRows[d.ordinal()].get(c)) {
            return parent.row(d, c, strict);
        }
        AtomicReferenceArray<Row> cache = rowCache[2 * d.ordinal() + (strict ? 1 : 0)];
        Row cached = cache.get(c);
        if (cached != null) {
            return cached;
        }
        if (isolating.get(d.ordinal()).get(c).isEmpty()) {
            return null;
        }
        List<RuleData> rules = rulesOf(d, c);
        boolean named = rules.stream().anyMatch(r -> r.constant() == null);
        // ingress ports are the selected pod's (one value per rule for every source); egress ports the destination's
        List<ContainerPort> ports = d == Direction.INGRESS && named ? classes.get(c).ports() : List.of();
        RowKey key = new RowKey(d, strict, rules.stream().map(RuleData::id).toList(), ports);
        Row row = rows.computeIfAbsent(key, k -> {
            Row inherited = inherited(k);
            return inherited != null ? inherited : computeRow(d, rules, strict, ports);
        });
        cache.set(c, row);
        return row;
    }

    private Row computeRow(Direction d, List<RuleData> rules, boolean strict, List<ContainerPort> ports) {
        Row.Builder out = new Row.Builder(nodeCount);
        fillClasses(out, d, rules, strict, ports, 0);
        for (RuleData r : rules) {
            if (r.rule().allPeers() || !r.blocks().isEmpty()) {
                // externals declare no container port: a named port towards them opens nothing (into a class, the class's ports decide)
                Connections fixed = fixed(d, r, ports);
                Connections toExternals = fixed != null ? fixed : r.rule().connections(List.of());
                for (int e = 0; e < externals.size(); e++) {
                    if (r.admits(externals.get(e))) {
                        add(out, e, toExternals);
                    }
                }
            }
        }
        return out.build();
    }

    /** The entries of the classes from {@code fromClass} on that {@code rules} allow. */
    private void fillClasses(Row.Builder out, Direction d, List<RuleData> rules, boolean strict, List<ContainerPort> ports, int fromClass) {
        int first = externals.size();
        for (RuleData r : rules) {
            BitSet m = strict ? r.strict() : r.matched();
            Connections fixed = fixed(d, r, ports);
            for (int i = m.nextSetBit(fromClass); i >= 0; i = m.nextSetBit(i + 1)) {
                add(out, first + i, fixed != null ? fixed : r.rule().connections(classes.get(i).ports()));
            }
        }
    }

    /** What {@code r} allows to every node of a row: null when it depends on each destination's ports (egress, named ports). */
    private static Connections fixed(Direction d, RuleData r, List<ContainerPort> ports) {
        return r.constant() != null ? r.constant() : d == Direction.INGRESS ? r.rule().connections(ports) : null;
    }

    private static void add(Row.Builder row, int i, Connections conns) {
        if (!conns.isEmpty()) {
            Connections had = row.get(i);
            row.set(i, had == null ? conns : had.union(conns));
        }
    }

    /** The row of {@code key} as an ancestor state computed it, mapped onto this state's nodes; null when none did. */
    private Row inherited(RowKey key) {
        if (parent == null) {
            return null;
        }
        Row theirs = parent.rows.get(key);
        if (theirs == null) {
            theirs = parent.inherited(key);
        }
        if (theirs == null || parentNode == null) {
            return theirs;
        }
        Row.Builder mine = new Row.Builder(nodeCount);
        for (int i = 0; i < nodeCount; i++) {
            Connections c = theirs.get(parentNode[i]);
            if (c != null) {
                mine.set(i, c);
            }
        }
        return mine.build();
    }

    private static Connections at(Row row, int i) {
        if (row == null) {
            return Connections.ALL;
        }
        Connections c = row.get(i);
        return c == null ? Connections.NONE : c;
    }

    /**
     * Connections between nodes (see {@link #node}); never both external. A state derived from another
     * asks it whenever neither row involved is one it recomputed (mapping the nodes when its outside is cut
     * finer), so a finer cut costs no copy of rows it does not change.
     */
    private Connections between(int src, int dst, boolean strict) {
        int first = externals.size();
        if (parent != null && !(src >= first && ownRows[Direction.EGRESS.ordinal()].get(src - first))
                && !(dst >= first && ownRows[Direction.INGRESS.ordinal()].get(dst - first))) {
            return parentNode == null ? parent.between(src, dst, strict) : parent.between(parentNode[src], parentNode[dst], strict);
        }
        if (src < first) {
            return at(row(Direction.INGRESS, dst - first, strict), src);
        }
        if (dst < first) {
            return at(row(Direction.EGRESS, src - first, strict), dst);
        }
        Connections out = at(row(Direction.EGRESS, src - first, strict), dst);
        return out.isEmpty() ? out : out.intersect(at(row(Direction.INGRESS, dst - first, strict), src));
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

    /** The class of a peer's item (its node less the external ranges before it). */
    private int classOf(Item peer) {
        return peer.node() - externals.size();
    }

    private static final java.util.Comparator<Item> BY_NAME = (a, b) -> a.name().compareTo(b.name());

    /**
     * What depends only on the peers, so every state derived from one world's peers shares it (policy
     * changes and finer cuts keep the peers): built on first use.
     */
    private static final class PeerTables {
        /** Items whose node is the peer's class: a state's nodes come after its external ranges. */
        volatile List<Item> sortedPeers;
        volatile Map<String, Integer> peerIndex;
        volatile Map<String, int[]> identityClasses;
    }

    private volatile List<Item> items;

    /** Every node, sorted by name: the peers (sorted once for all derived states) merged with this state's external ranges. */
    private List<Item> items() {
        List<Item> all = items;
        if (all == null) {
            List<Item> peers = new ArrayList<>();
            for (Item p : sortedPeers()) {
                peers.add(new Item(p.name(), externals.size() + p.node(), p.peer()));
            }
            List<Item> outside = new ArrayList<>();
            for (int e = 0; e < externals.size(); e++) {
                outside.add(new Item(externals.get(e).id(), e, -1));
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
            boolean sorted = true; // a World's peers are sorted by id: this only guards the order
            for (int i = 0; i < world.peers().size(); i++) {
                out.add(new Item(world.peers().get(i).id(), classOfPeer[i], i));
                sorted &= i == 0 || BY_NAME.compare(out.get(i - 1), out.get(i)) <= 0;
            }
            if (!sorted) {
                out.sort(BY_NAME);
            }
            peerTables.sortedPeers = peers = List.copyOf(out);
        }
        return peers;
    }

    /** Calls {@code sink} for every non-empty edge, sorted by source then destination name. */
    public void forEachEdge(Consumer<Edge> sink) {
        List<Item> all = items();
        int first = externals.size();
        for (Item s : all) {
            for (Item d : all) {
                if (s == d || (s.node() < first && d.node() < first)) {
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
     * The state after one NetworkPolicy change, and what changed: {@code before} is this state, or (when
     * the change moves the external cuts) this world cut as {@code next} is; {@code next} the
     * reachability of the changed world. The changed edges are walked when asked for, not before.
     */
    public static final class PolicyChange {
        private final Reachability before;
        private final Reachability next;
        /** The classes whose ingress ({@code in}) and egress ({@code eg}) rows may differ; null for a change made without a diff. */
        private final boolean[] in;
        private final boolean[] eg;
        private volatile ReachDiff diff;

        private PolicyChange(Reachability before, Reachability next, boolean[] in, boolean[] eg) {
            this.before = before;
            this.next = next;
            this.in = in;
            this.eg = eg;
        }

        public Reachability before() {
            return before;
        }

        public Reachability next() {
            return next;
        }

        /**
         * Each changed pair of the workload view, once, in no particular order, none of them kept: a
         * policy can change hundreds of thousands of pairs (a default-deny in a busy namespace), and
         * admission only folds them into what it reports. {@code sink} may stop the walk by throwing.
         */
        public void forEachChange(Consumer<ReachDiff.Change> sink) {
            if (in == null) {
                throw new IllegalStateException("a change made without a diff");
            }
            before.diffTouched(next, in, eg, sink);
        }

        /** The changed pairs, sorted by source then destination (computed on first use and kept). */
        public ReachDiff diff() {
            ReachDiff d = diff;
            if (d == null) {
                List<ReachDiff.Change> changes = new ArrayList<>();
                forEachChange(changes::add);
                changes.sort(ReachDiff.BY_PAIR);
                diff = d = new ReachDiff(changes);
            }
            return d;
        }
    }

    /** {@code policy} added, or replacing the policy of the same namespace and name. */
    public PolicyChange withPolicy(PolicyRules policy) {
        return change(policy.id(), policy, true);
    }

    /** The policy {@code namespace/name} deleted (no change when there is none). */
    public PolicyChange withoutPolicy(String namespace, String name) {
        return change(namespace + "/" + name, null, true);
    }

    /**
     * The state after a stored policy changed ({@code after} the policy as it is now, null when deleted),
     * without the diff a preview needs: how the live state follows the cluster. A long chain of such
     * states is flattened, so the live state does not hold every state before it.
     */
    public Reachability afterPolicy(String id, PolicyRules after) {
        Reachability next = change(id, after, false).next();
        return next.depth > MAX_DEPTH ? new Reachability(next, next.world, true) : next;
    }

    /**
     * Only the rows of the classes the old and new policy select are recomputed, and only the pairs
     * into or out of those classes compared: the admission preview of a NetworkPolicy depends on it. A
     * change that moves the external cuts (a new CIDR bound) renames external peers, so it falls back to
     * a full computation and a full diff.
     */
    private PolicyChange change(String id, PolicyRules after, boolean diff) {
        List<PolicyRules> policies = new ArrayList<>(world.policies());
        PolicyRules before = null;
        for (int i = 0; i < policies.size(); i++) {
            if (isPolicy(policies.get(i), id)) {
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
        if (exactCuts) {
            Set<Long> bounds = after == null ? Set.of() : ExternalRange.bounds(after);
            if (boundSet().containsAll(bounds)) {
                return changed(before, after, nextWorld, diff); // the union of both worlds' bounds is this world's
            }
            // this world's bounds and the new policy's: the cuts of both worlds, without reading every policy again
            return new Reachability(this, ExternalRange.cutFiner(externals, bounds)).changed(before, after, nextWorld, diff);
        }
        List<ExternalRange> cuts = ExternalRange.cuts(world.policies(), nextWorld.policies());
        if (!cuts.equals(externals)) {
            if (!refines(cuts)) {
                return fromScratch(before, after, nextWorld, diff);
            }
            return new Reachability(this, cuts).changed(before, after, nextWorld, diff);
        }
        return changed(before, after, nextWorld, diff);
    }

    /** {@code p.id().equals(id)} without building the id (a change looks through every policy of the world). */
    private static boolean isPolicy(PolicyRules p, String id) {
        return id.length() == p.namespace().length() + 1 + p.name().length() && id.startsWith(p.namespace()) && id.charAt(p.namespace().length()) == '/'
                && id.endsWith(p.name());
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
    private PolicyChange fromScratch(PolicyRules before, PolicyRules after, World nextWorld, boolean diff) {
        Reachability[] both = comparable(world, nextWorld, keys);
        Reachability base = both[0];
        Reachability next = both[1];
        if (!diff) {
            return new PolicyChange(base, next, null, null);
        }
        next.items = base.items();
        next.externalIndex = base.externalIndex();
        boolean[] in = new boolean[base.classes.size()];
        boolean[] eg = new boolean[base.classes.size()];
        for (PolicyRules p : Arrays.asList(before, after)) {
            if (p != null) {
                for (int c : base.selected(p)) {
                    in[c] |= p.isolates(Direction.INGRESS);
                    eg[c] |= p.isolates(Direction.EGRESS);
                }
            }
        }
        return new PolicyChange(base, next, in, eg);
    }

    /** The change from this state to {@code nextWorld}, whose policies differ by {@code before} → {@code after} and whose cuts are this state's. */
    private PolicyChange changed(PolicyRules before, PolicyRules after, World nextWorld, boolean diff) {
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
        if (!diff) {
            return new PolicyChange(this, next, null, null);
        }
        boolean[] in = new boolean[classes.size()];
        boolean[] eg = new boolean[classes.size()];
        for (long t : touched) {
            ((t >>> 32) == Direction.INGRESS.ordinal() ? in : eg)[(int) t] = true;
        }
        return new PolicyChange(this, next, in, eg);
    }

    /**
     * The workload-view changes from this state to {@code next} (same peers, classes and cuts) when only
     * the ingress rows of the classes marked {@code in} and the egress rows of those marked {@code eg}
     * can differ.
     */
    private void diffTouched(Reachability next, boolean[] in, boolean[] eg, Consumer<ReachDiff.Change> changes) {
        // A touched row that is the same row after the change (same rules, so the same memoised array)
        // changes nothing: only the others are walked.
        boolean[] inChanged = changedRows(next, Direction.INGRESS, in);
        boolean[] egChanged = changedRows(next, Direction.EGRESS, eg);
        List<Item> all = items();
        // A pair (x, y) changes only if y's ingress entry for x or x's egress entry for y does. Pairs into
        // a changed ingress row are compared here when that entry differs or x's egress row changed...
        for (Item y : all) {
            if (y.peer() >= 0 && inChanged[classOf(y)]) {
                Row oldRow = row(Direction.INGRESS, classOf(y), false);
                Row newRow = next.row(Direction.INGRESS, classOf(y), false);
                for (Item x : all) {
                    if (x != y && (x.peer() >= 0 && egChanged[classOf(x)] || differ(oldRow, newRow, x.node()))) {
                        compare(next, x, y, changes);
                    }
                }
            }
        }
        // ...and pairs out of a changed egress row into any other destination when that entry differs.
        for (Item x : all) {
            if (x.peer() >= 0 && egChanged[classOf(x)]) {
                Row oldRow = row(Direction.EGRESS, classOf(x), false);
                Row newRow = next.row(Direction.EGRESS, classOf(x), false);
                for (Item y : all) {
                    if (x != y && !(y.peer() >= 0 && inChanged[classOf(y)]) && differ(oldRow, newRow, y.node())) {
                        compare(next, x, y, changes);
                    }
                }
            }
        }
    }

    /** Which of the {@code touched} classes have a different (non-strict) row in direction {@code d} in {@code next}. */
    private boolean[] changedRows(Reachability next, Direction d, boolean[] touched) {
        boolean[] out = new boolean[touched.length];
        for (int c = 0; c < touched.length; c++) {
            out[c] = touched[c] && row(d, c, false) != next.row(d, c, false);
        }
        return out;
    }

    private static boolean differ(Row oldRow, Row newRow, int node) {
        if (oldRow != null && newRow != null && oldRow.get(node) == newRow.get(node)) {
            return false;
        }
        return !at(oldRow, node).equals(at(newRow, node));
    }

    private void compare(Reachability next, Item x, Item y, Consumer<ReachDiff.Change> out) {
        Connections before = between(x.node(), y.node(), false);
        Connections after = next.between(x.node(), y.node(), false);
        if (!before.equals(after)) {
            boolean spoofable = after.isEmpty() ? between(x.node(), y.node(), true).isEmpty() : next.between(x.node(), y.node(), true).isEmpty();
            out.accept(new ReachDiff.Change(x.name(), y.name(), before.isEmpty() ? null : before, after.isEmpty() ? null : after, spoofable));
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
        if (s < 0 || d < 0 || Objects.equals(src, dst) || (s < externals.size() && d < externals.size())) {
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
                m.put(externals.get(e).id(), e);
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
        return node == null ? null : externals.get(node);
    }

    /** Node of the workload-view name {@code name} (a peer's class, or an external range), or -1 (fast: the identity preview looks up many). */
    int node(String name) {
        int peer = peerIndex(name);
        return peer >= 0 ? externals.size() + classOfPeer[peer] : externalIndex().getOrDefault(name, -1);
    }

    /** Connections between two nodes (see {@link #node}); NONE between two externals. */
    Connections betweenNodes(int src, int dst, boolean strict) {
        if (src < 0 || dst < 0 || (src < externals.size() && dst < externals.size())) {
            return Connections.NONE;
        }
        return between(src, dst, strict);
    }

    /** The node of the world's peer at {@code index} (its class); see {@link #linksOf}. */
    public int nodeOfPeer(int index) {
        return externals.size() + classOfPeer[index];
    }

    /** The node of external range {@code index} of {@link #externals()}. */
    public int nodeOfExternal(int index) {
        return index;
    }

    /**
     * How a pod would connect with every node of this state once it runs: {@code pod} as admission sees
     * it (new, or relabelled; it need not be part of the world, and pairs with a peer of its own id mean
     * nothing). Adding a pod changes only the pairs it is part of, so these are computed from the
     * policies' rules directly, bit sets over classes, without rebuilding the world: what keeps the
     * invariants on a pod CREATE cheap.
     */
    public PeerLinks linksOf(ReachPeer pod) {
        @SuppressWarnings("unchecked")
        List<RuleData>[] rules = new List[2]; // per direction, the rules of the policies isolating the pod; null: not isolated
        for (Direction d : Direction.values()) {
            for (PolicyRules p : world.policies()) {
                if (p.namespace().equals(pod.namespace()) && p.isolates(d) && Selectors.matches(p.podSelector(), pod.labels())) {
                    List<RuleData> mine = rules[d.ordinal()] == null ? (rules[d.ordinal()] = new ArrayList<>()) : rules[d.ordinal()];
                    for (PolicyRule r : p.rules(d)) {
                        mine.add(ruleData(-1, r));
                    }
                }
            }
        }
        return new PeerLinks(pod, world.namespaceLabels(pod.namespace()), rules);
    }

    /** What class {@code c}'s {@code d} rules allow it to exchange with {@code pod}: ALL when nothing isolates it. */
    private Connections aboutPod(Direction d, int c, ReachPeer pod, Map<String, String> namespaceLabels, boolean strict,
            Map<RuleData, Integer> judged) {
        if (isolating.get(d.ordinal()).get(c).isEmpty()) {
            return Connections.ALL;
        }
        Connections out = Connections.NONE;
        for (RuleData r : rulesOf(d, c)) {
            int admitted = judged.computeIfAbsent(r, k -> admission(k.rule(), pod.namespace(), namespaceLabels, pod.labels(), pod.ips()));
            if ((admitted & (strict ? PINNED : ADMITTED)) != 0) {
                // the ports are the destination's: the pod's for egress, c's for ingress
                out = out.union(r.constant() != null ? r.constant() : r.rule().connections(d == Direction.EGRESS ? pod.ports() : classes.get(c).ports()));
            }
        }
        return out;
    }

    /**
     * A pod's connections with the nodes of a state ({@link #linksOf}): into it from a node, and out of it
     * to a node, computed when asked (a pod outside every protected identity is only ever asked about the
     * protected ones), each of the other classes' rules judged against the pod once. For one thread.
     */
    public final class PeerLinks {
        private final ReachPeer pod;
        private final Map<String, String> namespaceLabels;
        private final List<RuleData>[] rules;
        /** The pod's rows, {@code 2 * direction + strict}, computed when first asked (a check rarely needs all four). */
        private final Row[] own = new Row[4];
        private final Map<RuleData, Integer> judged = new java.util.IdentityHashMap<>();

        private PeerLinks(ReachPeer pod, Map<String, String> namespaceLabels, List<RuleData>[] rules) {
            this.pod = pod;
            this.namespaceLabels = namespaceLabels;
            this.rules = rules;
        }

        /** The pod's own row in direction {@code d}; null when nothing isolates it there. */
        private Row own(Direction d, boolean strict) {
            List<RuleData> mine = rules[d.ordinal()];
            if (mine == null) {
                return null;
            }
            int i = 2 * d.ordinal() + (strict ? 1 : 0);
            if (own[i] == null) {
                own[i] = computeRow(d, mine, strict, d == Direction.INGRESS ? pod.ports() : List.of());
            }
            return own[i];
        }

        /**
         * The nodes the pod may exchange anything with, into it ({@code into}) or out of it ({@code out}):
         * those its own rules admit in an isolated direction (its other connections are empty, whatever the
         * other side allows). Null when an asked direction is not isolated: then any node may.
         */
        public BitSet candidates(boolean into, boolean out) {
            BitSet nodes = new BitSet();
            for (Direction d : Direction.values()) {
                if (d == Direction.INGRESS ? into : out) {
                    Row row = own(d, false);
                    if (row == null) {
                        return null;
                    }
                    row.addEntriesTo(nodes);
                }
            }
            return nodes;
        }

        /** From node {@code node} to the pod; {@code strict} leaves out what only spoofable peers allow. */
        public Connections into(int node, boolean strict) {
            Connections ingressOfPod = at(own(Direction.INGRESS, strict), node);
            if (node < externals.size() || ingressOfPod.isEmpty()) {
                return ingressOfPod;
            }
            return aboutPod(Direction.EGRESS, node - externals.size(), pod, namespaceLabels, strict, judged).intersect(ingressOfPod);
        }

        /** From the pod to node {@code node}. */
        public Connections out(int node, boolean strict) {
            Connections egressOfPod = at(own(Direction.EGRESS, strict), node);
            if (node < externals.size() || egressOfPod.isEmpty()) {
                return egressOfPod;
            }
            return egressOfPod.intersect(aboutPod(Direction.INGRESS, node - externals.size(), pod, namespaceLabels, strict, judged));
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
        int[] ofClasses = table.get(identity);
        if (ofClasses != null) {
            int[] nodes = new int[ofClasses.length];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = externals.size() + ofClasses[i];
            }
            return nodes;
        }
        Integer external = externalIndex().get(identity);
        return external == null ? new int[0] : new int[] {external};
    }
}
