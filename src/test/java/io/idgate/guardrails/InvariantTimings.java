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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Timings of the invariants at admission (not a test): {@code java -cp ... io.idgate.guardrails.InvariantTimings [workloads policies]}.
 * On the scale world of {@code make bench} (5,000 workloads, 500 policies over 50 namespaces), with one
 * deny invariant protecting a namespace (about 100 workloads): what a NetworkPolicy review pays for the
 * invariant on top of the preview's change, and what a pod CREATE pays, for a pod outside the protected
 * namespace (the common case) and inside it.
 */
public final class InvariantTimings {

    public static void main(String[] args) throws Exception {
        int workloads = args.length >= 2 ? Integer.parseInt(args[0]) : 5000;
        int policies = args.length >= 2 ? Integer.parseInt(args[1]) : 500;
        World w = world(ScaleWorlds.yaml(workloads, policies, 1, true));
        Reachability live = Reachability.of(w, IdentityConfig.DEFAULTS.keys());
        var parsed = (ParseResult.Parsed) GuardrailParser.parse("idgate-system", "g", "i.yaml",
                "invariants: [{name: ns7-isolated, to: namespace:ns7, onlyFrom: [namespace:ns8]}]\n");
        InvariantCheck check = new InvariantCheck(parsed.document().invariants(), IdentityConfig.DEFAULTS);
        List<PolicyRules> other = world(ScaleWorlds.yaml(workloads, policies, 2, true)).policies();
        for (int round = 0; round < 2; round++) {
            long[] change = new long[other.size()];
            long[] judged = new long[other.size()];
            int breaches = 0;
            for (int i = 0; i < other.size(); i++) {
                long t0 = System.nanoTime();
                Reachability.PolicyChange c = live.withPolicy(other.get(i));
                long t1 = System.nanoTime();
                breaches += check.opened(c.diff(), c.next(), InvariantCheck.Subject.policy(other.get(i).id())).size();
                change[i] = t1 - t0;
                judged[i] = System.nanoTime() - t1;
            }
            print("policy change (round " + round + ")", change);
            print("  + invariants on it, " + breaches + " violations", judged);
        }
        ReachPeer outside = peer("ns3", "new-pod", "sa3");
        ReachPeer inside = peer("ns7", "new-pod", "sa7");
        for (int round = 0; round < 2; round++) {
            for (ReachPeer p : List.of(outside, inside)) {
                long[] t = new long[200];
                for (int i = 0; i < t.length; i++) {
                    long t0 = System.nanoTime();
                    check.forPeer(live, p, null, InvariantCheck.Subject.at("metadata.labels"));
                    t[i] = System.nanoTime() - t0;
                }
                print("pod CREATE in " + p.namespace() + (p == inside ? " (protected)" : "") + " (round " + round + ")", t);
            }
        }
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

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%s: %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what, s.length, s[s.length / 2] / 1e6,
                s[Math.min(s.length - 1, (int) Math.ceil(0.99 * s.length) - 1)] / 1e6, s[s.length - 1] / 1e6);
    }
}
