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
import java.util.SortedMap;
import java.util.TreeSet;
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
 */
public final class Reachability {

    private record ClassKey(String namespace, SortedMap<String, String> labels, List<ContainerPort> ports, List<Cidr> ips) {}

    /** One rule of one policy, with its matches precomputed. */
    private record RuleData(int id, PolicyRules policy, Direction direction, PolicyRule rule, BitSet matched, BitSet strict, Connections constant) {}

    private record RowKey(Direction direction, boolean strict, List<Integer> rules, List<ContainerPort> ports) {}

    private final World world;
    private final List<ClassKey> classes = new ArrayList<>();
    private final int[] classOfPeer;
    private final List<ExternalRange> externals;
    private final int nodeCount;
    private final List<List<RuleData>> ingressRules = new ArrayList<>();
    private final List<List<RuleData>> egressRules = new ArrayList<>();
    private final boolean[] ingressIsolated;
    private final boolean[] egressIsolated;
    private final Map<RowKey, Connections[]> rows = new HashMap<>();
    private final Connections[][] ingressRow;
    private final Connections[][] egressRow;
    private final Connections[][] strictIngressRow;
    private final Connections[][] strictEgressRow;

    private Reachability(World world, IdentityKeys keys) {
        this.world = world;
        Map<ClassKey, Integer> index = new HashMap<>();
        Map<String, List<Integer>> classesByNamespace = new HashMap<>();
        List<Integer> classesWithIps = new ArrayList<>();
        classOfPeer = new int[world.peers().size()];
        for (int i = 0; i < world.peers().size(); i++) {
            ReachPeer p = world.peers().get(i);
            ClassKey k = new ClassKey(p.namespace(), p.labels(), p.ports(), p.ips());
            Integer c = index.get(k);
            if (c == null) {
                c = classes.size();
                index.put(k, c);
                classes.add(k);
                classesByNamespace.computeIfAbsent(p.namespace(), n -> new ArrayList<>()).add(c);
                if (!p.ips().isEmpty()) {
                    classesWithIps.add(c);
                }
            }
            classOfPeer[i] = c;
        }
        externals = cuts(world.policies());
        int classCount = classes.size();
        nodeCount = classCount + externals.size();
        for (int c = 0; c < classCount; c++) {
            ingressRules.add(new ArrayList<>());
            egressRules.add(new ArrayList<>());
        }
        ingressIsolated = new boolean[classCount];
        egressIsolated = new boolean[classCount];
        int ruleId = 0;
        for (PolicyRules p : world.policies()) {
            List<Integer> selected = new ArrayList<>();
            for (int c : classesByNamespace.getOrDefault(p.namespace(), List.of())) {
                if (Selectors.matches(p.podSelector(), classes.get(c).labels())) {
                    selected.add(c);
                }
            }
            if (selected.isEmpty()) {
                continue;
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
                        BitSet m = match(peer, classesByNamespace, classesWithIps);
                        matched.or(m);
                        if (!Spoofing.isSpoofable(peer, keys)) {
                            strict.or(m);
                        }
                    }
                    data.add(new RuleData(ruleId++, p, d, r, matched, strict, r.hasNamedPorts() ? null : r.connections(List.of())));
                }
                for (int c : selected) {
                    (d == Direction.INGRESS ? ingressRules : egressRules).get(c).addAll(data);
                    (d == Direction.INGRESS ? ingressIsolated : egressIsolated)[c] = true;
                }
            }
        }
        ingressRow = new Connections[classCount][];
        egressRow = new Connections[classCount][];
        strictIngressRow = new Connections[classCount][];
        strictEgressRow = new Connections[classCount][];
    }

    /** Computes reachability of {@code world}; {@code keys} tell which labels pin identity (spoofable edges). */
    public static Reachability of(World world, IdentityKeys keys) {
        return new Reachability(world, keys);
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

    private BitSet match(Peer peer, Map<String, List<Integer>> classesByNamespace, List<Integer> classesWithIps) {
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

    private static List<ExternalRange> cuts(List<PolicyRules> policies) {
        TreeSet<Long> bounds = new TreeSet<>();
        bounds.add(0L);
        bounds.add(1L << 32);
        for (PolicyRules p : policies) {
            for (Direction d : Direction.values()) {
                for (PolicyRule r : p.rules(d)) {
                    for (Peer peer : r.peers()) {
                        if (peer.isIpBlock() && peer.ipBlock().cidr().ipv4()) {
                            addBounds(bounds, peer.ipBlock().cidr());
                            peer.ipBlock().except().stream().filter(Cidr::ipv4).forEach(e -> addBounds(bounds, e));
                        }
                    }
                }
            }
        }
        List<ExternalRange> out = new ArrayList<>();
        Long prev = null;
        for (long b : bounds) {
            if (prev != null) {
                out.add(new ExternalRange(prev, b - 1));
            }
            prev = b;
        }
        return out;
    }

    private static void addBounds(TreeSet<Long> bounds, Cidr c) {
        bounds.add(IpBlock.first(c));
        bounds.add(IpBlock.last(c) + 1);
    }

    /** Row of ingress into class {@code c}: per source node, what it may send; null when nothing isolates it. */
    private Connections[] ingress(int c, boolean strict) {
        Connections[][] cache = strict ? strictIngressRow : ingressRow;
        if (cache[c] == null && ingressIsolated[c]) {
            List<RuleData> rules = ingressRules.get(c);
            List<ContainerPort> ports = classes.get(c).ports();
            boolean named = rules.stream().anyMatch(r -> r.constant() == null);
            RowKey key = new RowKey(Direction.INGRESS, strict, rules.stream().map(RuleData::id).toList(), named ? ports : List.of());
            cache[c] = rows.computeIfAbsent(key, k -> {
                Connections[] row = new Connections[nodeCount];
                for (RuleData r : rules) {
                    // ingress ports are those of the selected (destination) pod: one value for every source
                    Connections conns = r.constant() != null ? r.constant() : r.rule().connections(ports);
                    if (conns.isEmpty()) {
                        continue;
                    }
                    BitSet m = strict ? r.strict() : r.matched();
                    for (int i = m.nextSetBit(0); i >= 0; i = m.nextSetBit(i + 1)) {
                        row[i] = row[i] == null ? conns : row[i].union(conns);
                    }
                }
                return row;
            });
        }
        return cache[c];
    }

    /** Row of egress from class {@code c}: per destination node, what it may receive; null when nothing isolates it. */
    private Connections[] egress(int c, boolean strict) {
        Connections[][] cache = strict ? strictEgressRow : egressRow;
        if (cache[c] == null && egressIsolated[c]) {
            List<RuleData> rules = egressRules.get(c);
            RowKey key = new RowKey(Direction.EGRESS, strict, rules.stream().map(RuleData::id).toList(), List.of());
            cache[c] = rows.computeIfAbsent(key, k -> {
                Connections[] row = new Connections[nodeCount];
                for (RuleData r : rules) {
                    BitSet m = strict ? r.strict() : r.matched();
                    for (int i = m.nextSetBit(0); i >= 0; i = m.nextSetBit(i + 1)) {
                        // egress named ports resolve against the destination pod; externals declare no port
                        Connections conns = r.constant() != null ? r.constant()
                                : r.rule().connections(i < classes.size() ? classes.get(i).ports() : List.of());
                        if (!conns.isEmpty()) {
                            row[i] = row[i] == null ? conns : row[i].union(conns);
                        }
                    }
                }
                return row;
            });
        }
        return cache[c];
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
            return at(ingress(dst, strict), src);
        }
        if (dst >= cc) {
            return at(egress(src, strict), dst);
        }
        Connections out = at(egress(src, strict), dst);
        return out.isEmpty() ? out : out.intersect(at(ingress(dst, strict), src));
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

    /** Calls {@code sink} for every non-empty edge, sorted by source then destination name. */
    public void forEachEdge(Consumer<Edge> sink) {
        record Item(String name, int node) {}
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < world.peers().size(); i++) {
            items.add(new Item(world.peers().get(i).id(), classOfPeer[i]));
        }
        for (int e = 0; e < externals.size(); e++) {
            items.add(new Item(externals.get(e).id(), classes.size() + e));
        }
        items.sort((a, b) -> a.name().compareTo(b.name()));
        int cc = classes.size();
        for (Item s : items) {
            for (Item d : items) {
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
