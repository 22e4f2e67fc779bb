package io.idgate.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.idgate.identity.IdentityConfig;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.Reachability;
import io.idgate.reach.ScaleWorlds;
import io.idgate.reach.World;
import io.idgate.reach.WorldBuilder;
import io.idgate.testing.Timings;
import java.util.List;
import java.util.TreeMap;

/**
 * Timings of the invariants at admission: {@code make bench} (docs/benchmarks.md, "At admission") or
 * {@code java -cp ... io.idgate.guardrails.InvariantTimings [workloads policies]}. On the scale world
 * (by default 5,000 workloads, 500 policies over 50 namespaces), with one deny invariant protecting a
 * namespace (about 2 % of the workloads): what a NetworkPolicy review pays for the invariant on top of
 * the preview's change, and what a pod CREATE pays, for a pod outside the protected namespace (the
 * common case) and inside it, against a state that already holds every pod before it; and what a pod
 * CREATE pays in a stream of them, where the live state first follows the pod created just before
 * ({@link Reachability#withPeers}, as {@code engine.LiveReach} does, world assembly included), one pod
 * in ten protected. Each figure from the second of two rounds (the first warms the JIT).
 */
public record InvariantTimings(int workloads, int policies, Timings policyChange, Timings onPolicyChange, Timings podOutside,
                               Timings podProtected, Timings podStream) {

    public static void main(String[] args) throws Exception {
        int workloads = args.length >= 2 ? Integer.parseInt(args[0]) : 5000;
        int policies = args.length >= 2 ? Integer.parseInt(args[1]) : 500;
        InvariantTimings t = measure(workloads, policies);
        System.out.printf("%d workloads, %d policies%npolicy change: %s%n  + invariants on it: %s%npod CREATE outside the protected namespace: %s%n"
                + "pod CREATE inside it: %s%npod CREATE in a stream (the state first follows the pod before): %s%n", workloads, policies,
                t.policyChange(), t.onPolicyChange(), t.podOutside(), t.podProtected(), t.podStream());
    }

    public static InvariantTimings measure(int workloads, int policies) throws Exception {
        World w = world(ScaleWorlds.yaml(workloads, policies, 1, true));
        Reachability live = Reachability.of(w, IdentityConfig.DEFAULTS.keys());
        var parsed = (ParseResult.Parsed) GuardrailParser.parse("idgate-system", "g", "i.yaml",
                "invariants: [{name: ns7-isolated, to: namespace:ns7, onlyFrom: [namespace:ns8]}]\n");
        InvariantCheck check = new InvariantCheck(parsed.document().invariants(), IdentityConfig.DEFAULTS);
        List<PolicyRules> other = world(ScaleWorlds.yaml(workloads, policies, 2, true)).policies();
        long[] change = new long[other.size()];
        long[] judged = new long[other.size()];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < other.size(); i++) {
                long t0 = System.nanoTime();
                Reachability.PolicyChange c = live.withPolicy(other.get(i));
                c.diff(); // the changed pairs, walked when first asked for: part of the change
                long t1 = System.nanoTime();
                check.opened(c.diff(), c.next(), InvariantCheck.Subject.policy(other.get(i).id()));
                change[i] = t1 - t0;
                judged[i] = System.nanoTime() - t1;
            }
        }
        Timings[] pods = new Timings[2];
        List<ReachPeer> creates = List.of(peer("ns3", "new-pod", "sa3"), peer("ns7", "new-pod", "sa7"));
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < creates.size(); k++) {
                long[] t = new long[200];
                for (int i = 0; i < t.length; i++) {
                    long t0 = System.nanoTime();
                    check.forPeer(live, creates.get(k), null, InvariantCheck.Subject.at("metadata.labels"));
                    t[i] = System.nanoTime() - t0;
                }
                pods[k] = Timings.of(t);
            }
        }
        long[] stream = new long[300];
        for (int round = 0; round < 2; round++) {
            Reachability state = live;
            java.util.TreeMap<String, ReachPeer> peers = new java.util.TreeMap<>();
            w.peers().forEach(p -> peers.put(p.id(), p));
            ReachPeer previous = null;
            for (int i = 0; i < stream.length; i++) {
                int ns = i % 10 == 0 ? 7 : i % 50;
                ReachPeer pod = peer("ns" + ns, "stream-" + round + "-" + i, "sa" + ns);
                long t0 = System.nanoTime();
                if (previous != null) {
                    peers.put(previous.id(), previous);
                    World followed = WorldBuilder.assemble(state.world().namespaces(), peers, state.world().policies(), List.of(), p -> java.util.Set.of());
                    state = state.withPeers(followed);
                }
                check.forPeer(state, pod, null, InvariantCheck.Subject.at("metadata.labels"));
                stream[i] = System.nanoTime() - t0;
                previous = pod;
            }
        }
        return new InvariantTimings(workloads, policies, Timings.of(change), Timings.of(judged), pods[0], pods[1], Timings.of(stream));
    }

    private static ReachPeer peer(String ns, String name, String sa) {
        var labels = new TreeMap<String, String>();
        labels.put("app", name);
        labels.put("tier", "t1");
        labels.put("idgate.io/service-account", sa);
        return new ReachPeer(ns, name, "Pod", labels, sa, List.of(), List.of(), false);
    }

    private static World world(String yaml) throws Exception {
        WorldBuilder b = new WorldBuilder();
        try (var it = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNextValue()) {
                b.add("scale.yaml", (ObjectNode) it.nextValue());
            }
        }
        return b.build();
    }
}
