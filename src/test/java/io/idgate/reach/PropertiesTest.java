package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.netpol.Connections;
import io.idgate.netpol.Direction;
import io.idgate.netpol.LabelSelector;
import io.idgate.netpol.Peer;
import io.idgate.netpol.PolicyPort;
import io.idgate.netpol.PolicyRule;
import io.idgate.netpol.PolicyRules;
import io.idgate.netpol.Protocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties over 200 seeded random worlds (see {@link RandomWorlds}); a failure names its seed. */
class PropertiesTest {

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    record Input(List<ObjectNode> objects, World world, Reachability reach) {}

    static Input input(long seed) {
        List<ObjectNode> objects = new ArrayList<>();
        RandomWorlds.documents(seed).forEach(d -> objects.addAll(Worlds.objects(d)));
        WorldBuilder b = new WorldBuilder();
        objects.forEach(o -> b.add("seed-" + seed, o));
        World w = b.build();
        assertEquals(List.of(), b.problems(), "seed " + seed + " made an invalid world");
        return new Input(objects, w, Reachability.of(w, Worlds.KEYS));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theEngineAgreesWithAPerPairOracle(long seed) {
        Input in = input(seed);
        Oracle oracle = new Oracle(in.world(), in.objects());
        Map<String, Edge> edges = new HashMap<>();
        in.reach().edges().forEach(e -> edges.put(e.src() + " => " + e.dst(), e));
        List<Oracle.End> ends = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ReachPeer p : in.world().peers()) {
            ends.add(new Oracle.End(p, -1));
            names.add(p.id());
        }
        for (int i = 0; i < ends.size(); i++) {
            for (int j = 0; j < ends.size(); j++) {
                if (i != j) {
                    check(seed, edges, names.get(i), names.get(j), oracle.between(ends.get(i), ends.get(j)), in, null);
                }
            }
            for (ExternalRange e : in.reach().externals()) {
                // both ends of every range: a range must be homogeneous for every ipBlock
                for (long addr : new long[] {e.first(), e.last()}) {
                    Oracle.End x = new Oracle.End(null, addr);
                    check(seed, edges, names.get(i), e.id(), oracle.between(ends.get(i), x), in, null);
                    check(seed, edges, e.id(), names.get(i), oracle.between(x, ends.get(i)), in, null);
                }
            }
        }
    }

    private static void check(long seed, Map<String, Edge> edges, String src, String dst, Connections expected, Input in, Object unused) {
        Edge e = edges.get(src + " => " + dst);
        Connections got = e == null ? Connections.NONE : e.conns();
        assertEquals(expected, got, "seed " + seed + ": " + src + " => " + dst);
        Explanation x = Explanation.of(in.world(), Worlds.KEYS, src, dst, null, null).orElseThrow();
        assertEquals(expected, x.result(), "explain, seed " + seed + ": " + src + " => " + dst);
        assertEquals(e != null && e.spoofable(), x.spoofable(), "spoofable, seed " + seed + ": " + src + " => " + dst);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void addingAnAllowRuleNeverRemovesAConnection(long seed) {
        Input in = input(seed);
        Random r = new Random(seed);
        List<PolicyRules> policies = new ArrayList<>(in.world().policies());
        if (policies.isEmpty()) {
            return;
        }
        int i = r.nextInt(policies.size());
        PolicyRules p = policies.get(i);
        Direction d = p.ingress() ? Direction.INGRESS : Direction.EGRESS;
        if (!p.isolates(d)) {
            return; // an extra rule in a direction the policy does not isolate would change its implied policyTypes
        }
        List<PolicyRule> rules = new ArrayList<>(p.rules(d));
        Peer peer = new Peer(null, LabelSelector.of(Map.of("app", "a")), null, p.namespace());
        rules.add(new PolicyRule(rules.size(), r.nextBoolean() ? List.of(peer) : List.of(),
                r.nextBoolean() ? List.of(new PolicyPort(Protocol.TCP, 8080, null, null)) : List.of()));
        policies.set(i, d == Direction.INGRESS
                ? new PolicyRules(p.namespace(), p.name(), p.podSelector(), p.ingress(), p.egress(), rules, p.egressRules())
                : new PolicyRules(p.namespace(), p.name(), p.podSelector(), p.ingress(), p.egress(), p.ingressRules(), rules));
        Reachability after = Reachability.of(in.world().withPolicies(policies), Worlds.KEYS);
        Map<String, Connections> a = map(after.edges());
        map(in.reach().edges()).forEach((k, c) -> assertTrue(a.getOrDefault(k, Connections.NONE).containsAll(c),
                "seed " + seed + ": " + k + " lost connections: " + c + " -> " + a.get(k)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void removingAPolicyNeverRemovesAConnectionFromAPeerNothingElseIsolates(long seed) {
        Input in = input(seed);
        List<PolicyRules> policies = in.world().policies();
        for (int i = 0; i < policies.size(); i++) {
            List<PolicyRules> rest = new ArrayList<>(policies);
            PolicyRules removed = rest.remove(i);
            World w = in.world().withPolicies(rest);
            Reachability afterReach = Reachability.of(w, Worlds.KEYS);
            Map<String, ReachPeer> peers = new HashMap<>();
            w.peers().forEach(p -> peers.put(p.id(), p));
            for (Edge e : in.reach().edges()) {
                ReachPeer src = peers.get(e.src());
                ReachPeer dst = peers.get(e.dst());
                boolean srcStillIsolated = src != null && removed.isolates(Direction.EGRESS) && removed.selects(src.namespace(), src.labels())
                        && isolated(rest, src, Direction.EGRESS);
                boolean dstStillIsolated = dst != null && removed.isolates(Direction.INGRESS) && removed.selects(dst.namespace(), dst.labels())
                        && isolated(rest, dst, Direction.INGRESS);
                if (!srcStillIsolated && !dstStillIsolated) {
                    // the cuts may be coarser without the policy: an external range maps to the one containing it
                    Connections now = afterReach.connections(rename(afterReach, e.src()), rename(afterReach, e.dst()));
                    assertTrue(now.containsAll(e.conns()), "seed " + seed + " without " + removed.id() + ": " + e + " -> " + now);
                }
            }
        }
    }

    private static String rename(Reachability r, String node) {
        if (!node.endsWith("[External]")) {
            return node;
        }
        long first = io.idgate.netpol.IpBlock.first(io.idgate.netpol.Cidr.parse(node.substring(0, node.indexOf('-')) + "/32"));
        return r.externals().stream().filter(x -> x.contains(first)).findFirst().orElseThrow().id();
    }

    private static boolean isolated(List<PolicyRules> policies, ReachPeer p, Direction d) {
        return policies.stream().anyMatch(x -> x.isolates(d) && x.selects(p.namespace(), p.labels()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theIdentityViewIsTheUnionOfTheWorkloadView(long seed) {
        Input in = input(seed);
        Map<String, String> sa = new HashMap<>();
        in.world().peers().forEach(p -> sa.put(p.id(), p.identityId()));
        Map<String, Connections> expected = new TreeMap<>();
        Map<String, Boolean> spoofable = new TreeMap<>();
        for (Edge e : in.reach().edges()) {
            String s = sa.getOrDefault(e.src(), e.src());
            String d = sa.getOrDefault(e.dst(), e.dst());
            if (!s.equals(d)) {
                expected.merge(s + " => " + d, e.conns(), Connections::union);
                spoofable.merge(s + " => " + d, e.spoofable(), Boolean::logicalAnd);
            }
        }
        ReachGraph identity = Views.identity(in.reach());
        assertEquals(expected, map(identity.edges()), "seed " + seed);
        identity.edges().forEach(e -> assertEquals(spoofable.get(e.src() + " => " + e.dst()), e.spoofable(), "seed " + seed + " " + e));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void diffOfAWorldWithItselfIsEmpty(long seed) {
        Input in = input(seed);
        assertTrue(ReachDiff.of(in.reach().graph(), in.reach().graph()).isEmpty());
        assertEquals("", ReachText.diff(ReachDiff.of(in.reach().graph(), Reachability.of(in.world(), Worlds.KEYS).graph())));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void listIsStableUnderInputOrder(long seed) {
        Input in = input(seed);
        List<ObjectNode> shuffled = new ArrayList<>(in.objects());
        Collections.shuffle(shuffled, new Random(seed));
        WorldBuilder b = new WorldBuilder();
        shuffled.forEach(o -> b.add("seed-" + seed, o));
        Reachability r = Reachability.of(b.build(), Worlds.KEYS);
        assertEquals(ReachText.list(in.reach().graph()), ReachText.list(r.graph()), "seed " + seed);
        assertEquals(in.reach().graph(), r.graph(), "seed " + seed);
    }

    /** The incremental path of the admission preview must say what a full recomputation says. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aPolicyChangeComputedIncrementallyEqualsAFullRecomputation(long seed) {
        Input in = input(seed);
        List<PolicyRules> changes = new ArrayList<>();
        // policies of another world, renamed onto this one's names: additions and replacements
        Input other = input(seed + 1000);
        for (PolicyRules p : other.world().policies()) {
            changes.add(p);
        }
        for (PolicyRules p : in.world().policies()) {
            // the same policy with its rules dropped: a replacement that keeps the selection
            changes.add(new PolicyRules(p.namespace(), p.name(), p.podSelector(), p.ingress(), p.egress(), List.of(), List.of()));
        }
        for (PolicyRules c : changes) {
            assertSameAsFull(seed, in.reach(), in.reach().withPolicy(c), "with " + c.id());
        }
        for (PolicyRules p : in.world().policies()) {
            assertSameAsFull(seed, in.reach(), in.reach().withoutPolicy(p.namespace(), p.name()), "without " + p.id());
        }
        // a chain of changes keeps agreeing
        Reachability r = in.reach();
        for (PolicyRules c : changes) {
            Reachability.PolicyChange step = r.withPolicy(c);
            assertSameAsFull(seed, r, step, "chained " + c.id());
            r = step.next();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aPodsLinksComputedBeforeItJoinsEqualTheWorldWithIt(long seed) {
        Input in = input(seed);
        List<ReachPeer> peers = in.world().peers();
        for (ReachPeer pod : peers) {
            List<ReachPeer> others = peers.stream().filter(p -> p != pod).toList();
            World without = new World(in.world().namespaces(), others, in.world().policies(), in.world().groups(), in.world().warnings());
            Reachability before = Reachability.of(without, Worlds.KEYS);
            Reachability.PeerLinks links = before.linksOf(pod);
            for (int i = 0; i < others.size(); i++) {
                String q = others.get(i).id();
                int node = before.nodeOfPeer(i);
                assertEquals(in.reach().connections(q, pod.id()), links.into(node, false), "seed " + seed + ": " + q + " => " + pod.id());
                assertEquals(in.reach().connections(pod.id(), q), links.out(node, false), "seed " + seed + ": " + pod.id() + " => " + q);
                assertEquals(in.reach().betweenNodes(in.reach().node(q), in.reach().node(pod.id()), true), links.into(node, true),
                        "seed " + seed + ": strict " + q + " => " + pod.id());
                assertEquals(in.reach().betweenNodes(in.reach().node(pod.id()), in.reach().node(q), true), links.out(node, true),
                        "seed " + seed + ": strict " + pod.id() + " => " + q);
            }
            for (int e = 0; e < before.externals().size(); e++) {
                String x = before.externals().get(e).id();
                assertEquals(in.reach().connections(x, pod.id()), links.into(before.nodeOfExternal(e), false), "seed " + seed + ": " + x + " => " + pod.id());
                assertEquals(in.reach().connections(pod.id(), x), links.out(before.nodeOfExternal(e), false), "seed " + seed + ": " + pod.id() + " => " + x);
            }
        }
    }

    /**
     * The live state follows pods one change at a time: a chain of peers leaving, joining (some with a
     * class the state has seen before), relabelled and readdressed, with policy changes between, must
     * reach what a full recomputation of each world reaches, and previews and a new pod's links computed
     * on a state so derived must be those of the full world.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aChainOfPodChangesComputedIncrementallyEqualsAFullRecomputation(long seed) {
        Input in = input(seed);
        Random random = new Random(seed);
        List<ReachPeer> pool = new ArrayList<>(input(seed + 1000).world().peers());
        pool.addAll(input(seed + 2000).world().peers());
        List<PolicyRules> policyPool = new ArrayList<>(input(seed + 3000).world().policies());
        Reachability r = in.reach();
        for (int step = 0; step < 24; step++) {
            World w = r.world();
            List<ReachPeer> peers = new ArrayList<>(w.peers());
            int action = random.nextInt(6);
            String what;
            if (action == 5 && !policyPool.isEmpty()) {
                PolicyRules p = policyPool.get(random.nextInt(policyPool.size()));
                boolean delete = random.nextBoolean() && !w.policies().isEmpty();
                String id = delete ? w.policies().get(random.nextInt(w.policies().size())).id() : p.id();
                r = r.afterPolicy(id, delete ? null : p);
                assertSameReach(seed, r, Reachability.of(r.world(), Worlds.KEYS), "step " + step + ": policy " + id + (delete ? " deleted" : ""));
                continue;
            }
            if (action == 0 && !peers.isEmpty()) {
                what = "leaves: " + peers.remove(random.nextInt(peers.size())).id();
            } else if (action <= 2 && !pool.isEmpty()) {
                ReachPeer template = random.nextInt(3) == 0 && !peers.isEmpty() ? peers.get(random.nextInt(peers.size())) : pool.get(random.nextInt(pool.size()));
                ReachPeer joined = new ReachPeer(template.namespace(), "s" + step, template.kind(), template.labels(), template.serviceAccount(),
                        template.ports(), template.ips(), template.hostNetwork());
                peers.add(joined);
                what = "joins: " + joined.id() + " like " + template.id();
            } else if (action == 3 && !peers.isEmpty()) {
                int i = random.nextInt(peers.size());
                ReachPeer p = peers.get(i);
                ReachPeer like = pool.isEmpty() ? p : pool.get(random.nextInt(pool.size()));
                peers.set(i, new ReachPeer(p.namespace(), p.name(), p.kind(), like.labels(), p.serviceAccount(), like.ports(), p.ips(), p.hostNetwork()));
                what = "relabelled: " + p.id();
            } else if (!peers.isEmpty()) {
                int i = random.nextInt(peers.size());
                ReachPeer p = peers.get(i);
                List<io.idgate.netpol.Cidr> ips = random.nextBoolean() ? List.of()
                        : List.of(io.idgate.netpol.Cidr.parse("10.0." + random.nextInt(2) + "." + random.nextInt(256) + "/32"));
                peers.set(i, new ReachPeer(p.namespace(), p.name(), p.kind(), p.labels(), p.serviceAccount(), p.ports(), ips, p.hostNetwork()));
                what = "readdressed: " + p.id() + " " + ips;
            } else {
                continue;
            }
            peers.sort(java.util.Comparator.comparing(ReachPeer::id));
            World next = new World(w.namespaces(), peers, w.policies(), w.groups(), w.warnings());
            Reachability before = r;
            r = r.withPeers(next);
            Reachability full = Reachability.of(next, Worlds.KEYS);
            assertSameReach(seed, r, full, "step " + step + ": " + what);
            assertSameReach(seed, before, Reachability.of(before.world(), Worlds.KEYS), "step " + step + ": the state before " + what);
            // a preview and a pod's links on the derived state
            if (!policyPool.isEmpty()) {
                PolicyRules p = policyPool.get(random.nextInt(policyPool.size()));
                Reachability.PolicyChange change = r.withPolicy(p);
                Reachability.PolicyChange fullChange = full.withPolicy(p);
                assertSameReach(seed, change.next(), fullChange.next(), "step " + step + ": preview of " + p.id() + " after " + what);
                assertEquals(ReachText.diff(fullChange.diff()), ReachText.diff(change.diff()), "seed " + seed + " step " + step + ": preview diff");
            }
            if (!pool.isEmpty() && !peers.isEmpty()) {
                ReachPeer pod = pool.get(random.nextInt(pool.size()));
                Reachability.PeerLinks links = r.linksOf(pod);
                Reachability.PeerLinks fullLinks = full.linksOf(pod);
                for (int i = 0; i < peers.size(); i++) {
                    for (boolean strict : new boolean[] {false, true}) {
                        assertEquals(fullLinks.into(full.nodeOfPeer(i), strict), links.into(r.nodeOfPeer(i), strict), "seed " + seed + " step " + step + ": links into");
                        assertEquals(fullLinks.out(full.nodeOfPeer(i), strict), links.out(r.nodeOfPeer(i), strict), "seed " + seed + " step " + step + ": links out");
                    }
                }
            }
        }
    }

    /**
     * Same connections (and strict connections) between every two peers, and between peers and every
     * address outside: compared range by range, as the two states may cut the outside differently.
     */
    private static void assertSameReach(long seed, Reachability derived, Reachability full, String what) {
        String at = "seed " + seed + " " + what;
        assertEquals(full.world(), derived.world(), at + ": world");
        int n = full.world().peers().size();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    for (boolean strict : new boolean[] {false, true}) {
                        assertEquals(full.betweenNodes(full.nodeOfPeer(i), full.nodeOfPeer(j), strict),
                                derived.betweenNodes(derived.nodeOfPeer(i), derived.nodeOfPeer(j), strict),
                                at + ": " + full.world().peers().get(i).id() + " => " + full.world().peers().get(j).id() + (strict ? " (strict)" : ""));
                    }
                }
            }
            for (int e = 0; e < derived.externals().size(); e++) {
                ExternalRange range = derived.externals().get(e);
                int fe = 0;
                while (!full.externals().get(fe).contains(range.first())) {
                    fe++;
                }
                for (boolean strict : new boolean[] {false, true}) {
                    assertEquals(full.betweenNodes(full.nodeOfExternal(fe), full.nodeOfPeer(i), strict),
                            derived.betweenNodes(derived.nodeOfExternal(e), derived.nodeOfPeer(i), strict), at + ": " + range.id() + " => peer " + i);
                    assertEquals(full.betweenNodes(full.nodeOfPeer(i), full.nodeOfExternal(fe), strict),
                            derived.betweenNodes(derived.nodeOfPeer(i), derived.nodeOfExternal(e), strict), at + ": peer " + i + " => " + range.id());
                }
            }
        }
        if (derived.externals().equals(full.externals())) {
            assertEquals(full.graph(), derived.graph(), at + ": graph");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theIdentityDiffOfAChangeEqualsTheDiffOfTheFoldedGraphs(long seed) {
        Input in = input(seed);
        List<Reachability.PolicyChange> changes = new ArrayList<>();
        for (PolicyRules p : input(seed + 1000).world().policies()) {
            changes.add(in.reach().withPolicy(p));
        }
        for (PolicyRules p : in.world().policies()) {
            changes.add(in.reach().withoutPolicy(p.namespace(), p.name()));
        }
        for (Reachability.PolicyChange c : changes) {
            assertEquals(ReachDiff.of(Views.identity(c.before()), Views.identity(c.next())), Views.identityDiff(c), "seed " + seed);
        }
    }

    private static void assertSameAsFull(long seed, Reachability base, Reachability.PolicyChange change, String what) {
        // both sides cut alike, as a change that moves the cuts is computed
        Reachability[] full = Reachability.comparable(base.world(), change.next().world(), Worlds.KEYS);
        assertEquals(full[1].graph(), change.next().graph(), "seed " + seed + " " + what + ": next state");
        assertEquals(ReachText.diff(ReachDiff.of(full[0].graph(), full[1].graph())), ReachText.diff(change.diff()), "seed " + seed + " " + what + ": diff");
        assertEquals(ReachDiff.of(full[0].graph(), full[1].graph()), change.diff(), "seed " + seed + " " + what + ": diff flags");
    }

    private static Map<String, Connections> map(List<Edge> edges) {
        Map<String, Connections> m = new TreeMap<>();
        edges.forEach(e -> m.put(e.src() + " => " + e.dst(), e.conns()));
        return m;
    }
}
