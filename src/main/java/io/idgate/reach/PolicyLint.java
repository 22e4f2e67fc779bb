package io.idgate.reach;

import io.idgate.identity.IdentityKeys;
import io.idgate.netpol.Connections;
import io.idgate.netpol.Direction;
import io.idgate.netpol.Peer;
import io.idgate.netpol.PolicyRule;
import io.idgate.netpol.PolicyRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a set of NetworkPolicies says that its author probably did not mean, found on the world they
 * govern (the audit's reachability findings): peers open to every namespace or to every address on
 * every port, policies and rule peers that select nothing, and rules every connection of which other
 * rules allow anyway (shadowed: deleting them changes nothing, so they are likely a mistake).
 */
public final class PolicyLint {

    /** Pairs evaluated for shadowing at most; a larger world skips that analysis and says so. */
    public static final long MAX_SHADOW_PAIRS = 250_000;

    /**
     * A peer reachable from every other namespace and/or every outside address on every port.
     *
     * @param how why, in policy terms: which rule admits everyone, or that nothing isolates the ingress
     */
    public record Exposure(ReachPeer peer, boolean everyNamespace, boolean everyAddress, String how) {}

    /** A policy ({@code path} {@code spec.podSelector}) or a rule peer ({@code spec.ingress[0].from[1]}) that selects no pod. */
    public record Unused(String policy, String namespace, String path, String what) {}

    /** A rule whose every connection other rules allow too. */
    public record Shadowed(String policy, String namespace, String path, List<String> by) {}

    /**
     * @param skipped why an analysis did not run (a world too large for it), empty when all ran
     */
    public record Result(List<Exposure> exposures, List<Unused> unused, List<Shadowed> shadowed, List<String> skipped) {}

    private PolicyLint() {}

    public static Result of(Reachability r, IdentityKeys keys) {
        World world = r.world();
        List<String> skipped = new ArrayList<>();
        List<Shadowed> shadowed = new ArrayList<>();
        List<ReachPeer> distinct = distinct(world.peers());
        long pairs = (long) distinct.size() * (distinct.size() + r.externals().size());
        if (pairs <= MAX_SHADOW_PAIRS) {
            shadowed = shadowed(world, keys, distinct, r.externals());
        } else {
            skipped.add("shadowed rules: not checked for " + distinct.size() + " distinct pods (more than " + MAX_SHADOW_PAIRS
                    + " pairs to compare); idgate reach explain shows which rules allow a pair");
        }
        return new Result(exposures(r, keys), unused(world), shadowed, skipped);
    }

    private static List<Exposure> exposures(Reachability r, IdentityKeys keys) {
        World world = r.world();
        Map<String, ReachPeer> byId = new HashMap<>();
        Set<String> namespacesWithPods = new TreeSet<>();
        for (ReachPeer p : world.peers()) {
            byId.put(p.id(), p);
            namespacesWithPods.add(p.namespace());
        }
        Map<String, Set<String>> sourceNamespaces = new HashMap<>();
        Map<String, Integer> openExternals = new HashMap<>();
        Map<String, String> sampleSource = new HashMap<>();
        r.forEachEdge(e -> {
            ReachPeer dst = byId.get(e.dst());
            if (dst == null) {
                return;
            }
            ReachPeer src = byId.get(e.src());
            if (src == null) {
                if (e.conns().isAll()) {
                    openExternals.merge(e.dst(), 1, Integer::sum);
                }
            } else if (!src.namespace().equals(dst.namespace())) {
                sourceNamespaces.computeIfAbsent(e.dst(), k -> new HashSet<>()).add(src.namespace());
                sampleSource.putIfAbsent(e.dst(), e.src());
            }
        });
        List<Exposure> out = new ArrayList<>();
        for (ReachPeer p : world.peers()) {
            int otherNamespaces = namespacesWithPods.size() - 1;
            boolean everyNamespace = otherNamespaces > 0 && sourceNamespaces.getOrDefault(p.id(), Set.of()).size() == otherNamespaces;
            boolean everyAddress = openExternals.getOrDefault(p.id(), 0) == r.externals().size();
            if (!everyNamespace && !everyAddress) {
                continue;
            }
            Explanation.End src = everyAddress ? Explanation.End.of(r.externals().get(0)) : Explanation.End.of(byId.get(sampleSource.get(p.id())));
            Explanation.Side ingress = Explanation.of(world, keys, src, Explanation.End.of(p), null, null).ingress();
            String how = ingress.status() == Explanation.Status.OPEN ? "no NetworkPolicy isolates its ingress"
                    : "admitted by " + String.join(", ", ingress.allowedBy().stream().map(PolicyLint::path).distinct().toList());
            out.add(new Exposure(p, everyNamespace, everyAddress, how));
        }
        return out;
    }

    private static List<Unused> unused(World world) {
        List<Unused> out = new ArrayList<>();
        for (PolicyRules p : world.policies()) {
            if (world.peers().stream().noneMatch(x -> p.selects(x.namespace(), x.labels()))) {
                out.add(new Unused(p.id(), p.namespace(), "spec.podSelector", "selects no pod of namespace " + p.namespace()));
            }
            for (Direction d : Direction.values()) {
                for (PolicyRule rule : p.rules(d)) {
                    for (int j = 0; j < rule.peers().size(); j++) {
                        Peer peer = rule.peers().get(j);
                        if (!peer.isIpBlock() && world.peers().stream()
                                .noneMatch(x -> peer.matchesPod(x.namespace(), world.namespaceLabels(x.namespace()), x.labels(), x.ips()))) {
                            out.add(new Unused(p.id(), p.namespace(), "spec." + d.field() + "[" + rule.index() + "]." + d.peersField() + "[" + j + "]",
                                    "selects no pod"));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Every rule whose allowances are, for every pod its policy selects and every other end it admits,
     * covered by the other rules' (of any policy) for the same pair. One explanation per pair serves all rules.
     */
    private static List<Shadowed> shadowed(World world, IdentityKeys keys, List<ReachPeer> distinct, List<ExternalRange> externals) {
        List<Explanation.End> ends = new ArrayList<>();
        distinct.forEach(p -> ends.add(Explanation.End.of(p)));
        externals.forEach(e -> ends.add(Explanation.End.of(e)));
        // rule key -> still shadowed so far; a rule never seen admitting anything is not listed (it is "unused" or moot)
        Map<String, Boolean> covered = new LinkedHashMap<>();
        Map<String, Set<String>> coveredBy = new HashMap<>();
        for (ReachPeer self : distinct) {
            Explanation.End me = Explanation.End.of(self);
            for (Explanation.End other : ends) {
                if (other.name().equals(me.name())) {
                    continue;
                }
                Explanation x = Explanation.of(world, keys, other, me, null, null);
                judge(x.ingress(), covered, coveredBy);
                if (other.peer() != null) {
                    judge(Explanation.of(world, keys, me, other, null, null).egress(), covered, coveredBy);
                }
            }
        }
        List<Shadowed> out = new ArrayList<>();
        covered.forEach((rule, shadow) -> {
            if (shadow) {
                int space = rule.indexOf(' ');
                String policy = rule.substring(0, space);
                out.add(new Shadowed(policy, policy.substring(0, policy.indexOf('/')), rule.substring(space + 1),
                        List.copyOf(new TreeSet<>(coveredBy.getOrDefault(rule, Set.of())))));
            }
        });
        return out;
    }

    /** For one side of one pair: each rule allowing something is still shadowed only if the others allow all of it. */
    private static void judge(Explanation.Side side, Map<String, Boolean> covered, Map<String, Set<String>> coveredBy) {
        if (side.status() != Explanation.Status.ISOLATED || side.allowedBy().isEmpty()) {
            return;
        }
        Map<String, Connections> byRule = new TreeMap<>();
        for (Explanation.Allowance a : side.allowedBy()) {
            byRule.merge(a.policy() + " " + a.rulePath(), a.conns(), Connections::union);
        }
        for (var e : byRule.entrySet()) {
            Connections others = Connections.NONE;
            Set<String> names = new TreeSet<>();
            for (var o : byRule.entrySet()) {
                if (!o.getKey().equals(e.getKey())) {
                    others = others.union(o.getValue());
                    if (!o.getValue().intersect(e.getValue()).isEmpty()) {
                        names.add(o.getKey());
                    }
                }
            }
            boolean shadow = others.containsAll(e.getValue());
            covered.merge(e.getKey(), shadow, Boolean::logicalAnd);
            if (shadow) {
                coveredBy.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).addAll(names);
            }
        }
    }

    private static String path(Explanation.Allowance a) {
        return a.policy() + " " + a.rulePath() + (a.peerIndex() < 0 ? " (every peer)" : "." + a.direction().peersField() + "[" + a.peerIndex() + "]");
    }

    /** One peer of each kind of pod the policies cannot tell apart (same namespace, labels, ports, addresses). */
    private static List<ReachPeer> distinct(List<ReachPeer> peers) {
        Map<List<Object>, ReachPeer> out = new LinkedHashMap<>();
        for (ReachPeer p : peers) {
            out.putIfAbsent(List.of(p.namespace(), p.labels(), p.ports(), p.ips()), p);
        }
        return new ArrayList<>(out.values());
    }
}
