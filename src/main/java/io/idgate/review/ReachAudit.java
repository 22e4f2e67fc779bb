package io.idgate.review;

import io.idgate.engine.Finding;
import io.idgate.engine.Message;
import io.idgate.guardrails.Action;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.Invariant;
import io.idgate.guardrails.InvariantCheck;
import io.idgate.guardrails.Violation;
import io.idgate.identity.IdentityDeriver;
import io.idgate.netpol.Direction;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.Edge;
import io.idgate.reach.Explanation;
import io.idgate.reach.PolicyLint;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.Reachability;
import io.idgate.reach.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The audit's reachability findings, from the engine {@code idgate reach} uses: peers open to every
 * namespace or every address, policies and rule peers that select nothing, shadowed rules, invariants
 * broken by what runs now, spoofable edges into protected identities, and namespaces without a
 * default-deny. Every line names the policy and rule concerned.
 */
final class ReachAudit {

    /**
     * @param findings   one per open peer and per invariant
     * @param policies   lines about NetworkPolicies by {@code namespace/name}, to join their guardrail findings
     * @param namespaces lines about namespaces, to join their guardrail findings
     * @param notes      analyses skipped (too large a world)
     */
    record Result(List<Finding> findings, Map<String, List<Message>> policies, Map<String, List<Message>> namespaces, List<String> notes) {}

    private ReachAudit() {}

    static Result of(World world, GuardrailSnapshot snapshot, IdentityDeriver deriver, Set<String> excluded, String source) {
        Reachability r = Reachability.of(world, deriver.keys());
        PolicyLint.Result lint = PolicyLint.of(r, deriver.keys());
        List<Finding> findings = new ArrayList<>();
        for (PolicyLint.Exposure e : lint.exposures()) {
            ReachPeer p = e.peer();
            if (excluded.contains(p.namespace())) {
                continue;
            }
            String reach = e.everyNamespace() && e.everyAddress() ? "every other namespace and every outside address on every port"
                    : e.everyNamespace() ? "every other namespace" : "every outside address on every port";
            findings.add(new Finding(p.kind(), p.namespace(), p.name(), source, 0, true, List.of(Message.identity(Action.WARN, Message.REACH_OPEN_PEER,
                    "ingress: " + p.id() + " is reachable from " + reach + " (" + e.how() + "); isolate it with a default-deny and allow"
                            + " only its clients, by identity")), null));
        }
        Map<String, List<Message>> byPolicy = new LinkedHashMap<>();
        for (PolicyLint.Unused u : lint.unused()) {
            if (!excluded.contains(u.namespace())) {
                byPolicy.computeIfAbsent(u.policy(), k -> new ArrayList<>()).add(Message.identity(Action.WARN, Message.REACH_SELECTS_NOTHING,
                        u.path() + ": " + u.what() + " today; check its labels, or delete it if the workload is gone"));
            }
        }
        for (PolicyLint.Shadowed s : lint.shadowed()) {
            if (!excluded.contains(s.namespace())) {
                byPolicy.computeIfAbsent(s.policy(), k -> new ArrayList<>()).add(Message.identity(Action.WARN, Message.REACH_SHADOWED_RULE,
                        s.path() + ": every connection it allows is also allowed by " + String.join(", ", s.by())
                                + "; remove it, or narrow the others if it was meant to be the only way in"));
            }
        }
        findings.addAll(invariants(r, snapshot, deriver, source));
        return new Result(findings, byPolicy, namespaces(world, excluded), lint.skipped());
    }

    /** Per invariant: what breaks it now, and the spoofable edges into what it protects. */
    private static List<Finding> invariants(Reachability r, GuardrailSnapshot snapshot, IdentityDeriver deriver, String source) {
        InvariantCheck check = new InvariantCheck(snapshot.invariants(), deriver.config());
        if (check.isEmpty()) {
            return List.of();
        }
        Map<String, List<Message>> messages = new TreeMap<>();
        for (Violation v : check.all(r, InvariantCheck.Subject.at("reachability"))) {
            messages.computeIfAbsent(v.rule(), k -> new ArrayList<>()).add(Message.of(v));
        }
        Map<String, ReachPeer> byId = new HashMap<>();
        r.world().peers().forEach(p -> byId.put(p.id(), p));
        List<Edge> spoofable = new ArrayList<>();
        r.forEachEdge(e -> {
            if (e.spoofable() && byId.containsKey(e.dst())) {
                spoofable.add(e);
            }
        });
        for (Invariant inv : snapshot.invariants()) {
            if (inv.guarded() != Direction.INGRESS) {
                continue;
            }
            for (Edge e : spoofable) {
                ReachPeer dst = byId.get(e.dst());
                if (check.protects(inv, dst)) {
                    Explanation.End src = byId.containsKey(e.src()) ? Explanation.End.of(byId.get(e.src())) : null;
                    String by = src == null ? "" : " via " + String.join(", ", Explanation.of(r.world(), deriver.keys(), src, Explanation.End.of(dst), null, null)
                            .ingress().allowedBy().stream().filter(Explanation.Allowance::spoofable)
                            .map(a -> a.policy() + " " + a.rulePath() + "." + a.direction().peersField() + "[" + a.peerIndex() + "]").distinct().toList());
                    messages.computeIfAbsent(inv.name(), k -> new ArrayList<>()).add(Message.identity(Action.WARN, Message.REACH_SPOOFABLE_INTO_PROTECTED,
                            "reachability: " + e.src() + " => " + e.dst() + " : " + e.conns() + " exists only through labels pod authors choose"
                                    + by + ", into what " + inv.name() + " protects; select the peer by identity (idgate labels prints the peer)"));
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Invariant inv : snapshot.invariants()) {
            List<Message> m = messages.getOrDefault(inv.name(), List.of());
            out.add(new Finding("Invariant", "", inv.name(), source, 0, m.stream().noneMatch(x -> x.severity() == Action.DENY), m, null));
        }
        return out;
    }

    /** Namespaces with pods and no default-deny (a policy selecting every pod that isolates ingress and allows nothing). */
    private static Map<String, List<Message>> namespaces(World world, Set<String> excluded) {
        Map<String, List<Message>> out = new TreeMap<>();
        Set<String> withPods = new java.util.TreeSet<>();
        world.peers().forEach(p -> withPods.add(p.namespace()));
        for (String ns : withPods) {
            if (excluded.contains(ns)) {
                continue;
            }
            boolean denies = world.policies().stream().anyMatch(p -> p.namespace().equals(ns) && isDefaultDeny(p));
            if (!denies) {
                out.put(ns, List.of(Message.identity(Action.WARN, Message.REACH_NO_DEFAULT_DENY, "namespace " + ns + " has no default-deny: its"
                        + " pods that no NetworkPolicy selects are reachable from everywhere; add {podSelector: {}, policyTypes: [Ingress]}")));
            }
        }
        return out;
    }

    private static boolean isDefaultDeny(PolicyRules p) {
        return p.podSelector().isEmpty() && p.isolates(Direction.INGRESS) && p.rules(Direction.INGRESS).isEmpty();
    }
}
