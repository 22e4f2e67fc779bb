package io.idgate.guardrails;

import io.idgate.identity.IdentityConfig;
import io.idgate.netpol.Cidr;
import io.idgate.netpol.Connections;
import io.idgate.reach.Edge;
import io.idgate.reach.ExternalRange;
import io.idgate.reach.Node;
import io.idgate.reach.ReachDiff;
import io.idgate.reach.ReachGraph;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.Reachability;
import io.idgate.reach.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a set of intents means at identity level, and the proof that generated policies mean exactly
 * that (design section 10). Independent of how the policies are written: it reads the intents, not
 * the policies.
 *
 * <p>A pod is isolated for ingress when an intent's {@code to} names it (or {@code defaultDeny} covers
 * its namespace), and for egress when an intent's {@code from} names it (or {@code defaultDeny} does).
 * A direction no intent isolates stays open, as Kubernetes leaves it. {@code *} admits every pod as a peer
 * but puts no policy in kube-system, so it isolates none there. From {@code s} to {@code d} the
 * intents then allow what {@code s}'s egress allows and {@code d}'s ingress allows: on an isolated side,
 * the union of the ports of the intents from {@code s} to {@code d}, plus DNS (UDP and TCP 53 to
 * the pods of kube-system) for an egress-isolated pod when {@code dns} is on.
 * Edges are folded onto ServiceAccounts as {@code idgate reach --by identity} folds them.
 */
public final class IntentReach {

    private IntentReach() {}

    /**
     * The identity graph the intents allow among the peers and address ranges of {@code actual}.
     *
     * @param defaultDenied the namespaces {@code defaultDeny} covers (those the generated policies deny)
     */
    public static ReachGraph expected(Intents intents, Set<String> defaultDenied, Reachability actual, IdentityConfig config) {
        List<ReachPeer> peers = actual.world().peers();
        List<ExternalRange> externals = actual.externals();
        Map<String, Node> nodes = new TreeMap<>();
        peers.forEach(p -> nodes.put(p.identityId(), new Node(p.identityId(), "ServiceAccount", p.namespace(), false)));
        externals.forEach(e -> nodes.put(e.id(), new Node(e.id(), "External", "", true)));
        Map<String, Map<String, Connections>> acc = new TreeMap<>();
        for (ReachPeer s : peers) {
            boolean egressIsolated = isolated(intents, defaultDenied, s, config, true);
            for (ReachPeer d : peers) {
                if (s.identityId().equals(d.identityId())) {
                    continue;
                }
                Connections egress = egressIsolated ? allowed(intents, s, d, null, config, true).union(dns(intents, d)) : Connections.ALL;
                Connections ingress = isolated(intents, defaultDenied, d, config, false) ? allowed(intents, s, d, null, config, false)
                        : Connections.ALL;
                put(acc, s.identityId(), d.identityId(), egress.intersect(ingress));
            }
            for (ExternalRange e : externals) {
                put(acc, s.identityId(), e.id(), egressIsolated ? allowed(intents, s, null, e, config, true) : Connections.ALL);
                boolean ingressIsolated = isolated(intents, defaultDenied, s, config, false);
                put(acc, e.id(), s.identityId(), ingressIsolated ? allowed(intents, null, s, e, config, false) : Connections.ALL);
            }
        }
        List<Edge> edges = new ArrayList<>();
        acc.forEach((src, m) -> m.forEach((dst, c) -> edges.add(new Edge(src, dst, c, false))));
        return new ReachGraph("identity", new ArrayList<>(nodes.values()), edges, List.of());
    }

    /**
     * Where the policies of {@code actual} differ from the intents: {@code +} an edge the policies allow
     * and the intents do not, {@code -} one the intents allow and the policies do not, {@code ~} other ports.
     * Empty when the proof holds.
     */
    public static ReachDiff proof(Intents intents, Set<String> defaultDenied, Reachability actual, IdentityConfig config) {
        return ReachDiff.of(expected(intents, defaultDenied, actual, config), Views.identity(actual));
    }

    private static void put(Map<String, Map<String, Connections>> acc, String src, String dst, Connections c) {
        if (!c.isEmpty()) {
            acc.computeIfAbsent(src, k -> new TreeMap<>()).merge(dst, c, Connections::union);
        }
    }

    private static boolean isolated(Intents intents, Set<String> defaultDenied, ReachPeer p, IdentityConfig config, boolean egress) {
        if (intents.defaultDeny() && defaultDenied.contains(p.namespace())) {
            return true;
        }
        for (Intent i : intents.intents()) {
            if (placed(egress ? i.from() : i.to(), p, config)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ports of the intents from {@code s} (a peer, or the range {@code e}) to {@code d} (a peer, or
     * {@code e}), as the policies of one side see them: on the egress side ({@code egress}) {@code from}
     * must place a policy on {@code s} and {@code to} admit {@code d} as a peer; on the ingress side the
     * other way round.
     */
    private static Connections allowed(Intents intents, ReachPeer s, ReachPeer d, ExternalRange e, IdentityConfig config, boolean egress) {
        Connections out = Connections.NONE;
        for (Intent i : intents.intents()) {
            boolean from = s != null ? (egress ? placed(i.from(), s, config) : matches(i.from(), s, config)) : inside(i.from(), e);
            boolean to = d != null ? (egress ? matches(i.to(), d, config) : placed(i.to(), d, config)) : inside(i.to(), e);
            if (from && to) {
                out = out.union(i.ports());
            }
        }
        return out;
    }

    /** True when the end puts a policy on {@code p}: as {@link #matches}, but {@code *} places none in kube-system. */
    private static boolean placed(Intent.End end, ReachPeer p, IdentityConfig config) {
        return end instanceof Intent.Every ? !p.namespace().equals(PolicyGenerator.KUBE_SYSTEM) : matches(end, p, config);
    }

    private static Connections dns(Intents intents, ReachPeer d) {
        return intents.dns() && d.namespace().equals(PolicyGenerator.KUBE_SYSTEM) ? PolicyGenerator.DNS_PORTS : Connections.NONE;
    }

    private static boolean matches(Intent.End end, ReachPeer p, IdentityConfig config) {
        return end instanceof Intent.Every || (end instanceof Intent.Identity id && id.ref().matches(p, config));
    }

    /** True when the whole range is inside the end's block (ranges are cut at every block bound, so never partly). */
    private static boolean inside(Intent.End end, ExternalRange e) {
        if (!(end instanceof Intent.Block b) || !b.cidr().ipv4()) {
            return false;
        }
        Cidr c = b.cidr();
        int shift = 32 - c.prefix();
        long net = c.network().longValue() >>> shift;
        return (e.first() >>> shift) == net && (e.last() >>> shift) == net;
    }
}
