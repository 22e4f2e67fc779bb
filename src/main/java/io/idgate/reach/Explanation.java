package io.idgate.reach;

import io.idgate.identity.IdentityKeys;
import io.idgate.netpol.Connections;
import io.idgate.netpol.Direction;
import io.idgate.netpol.Peer;
import io.idgate.netpol.PolicyRule;
import io.idgate.netpol.PolicyRules;
import io.idgate.netpol.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why {@code src} reaches {@code dst} or not ({@code idgate reach explain}): for the egress of the source
 * and the ingress of the destination, whether it is open, which policies isolate it, and which policy,
 * rule and peer allow what. Evaluated for the one pair directly from the policies (not through the
 * classes of {@link Reachability}), so it doubles as an independent check of the engine.
 *
 * @param src       the source as asked
 * @param dst       the destination as asked
 * @param port      the port asked about, or null for every port
 * @param protocol  the protocol of {@code port}
 * @param egress    the source's side
 * @param ingress   the destination's side
 * @param result    what is allowed (limited to {@code port}/{@code protocol} when given)
 * @param spoofable the result exists only through selectors that do not pin identity
 */
public record Explanation(String src, String dst, Integer port, Protocol protocol, Side egress, Side ingress, Connections result,
                          boolean spoofable) {

    public enum Status { OPEN, ISOLATED, EXTERNAL }

    /**
     * One direction of the pair.
     *
     * @param peer       whose direction it is
     * @param isolatedBy ids of the policies that isolate it, sorted
     * @param allowedBy  the rule peers that allow something, in policy and rule order
     */
    public record Side(Direction direction, String peer, Status status, List<String> isolatedBy, List<Allowance> allowedBy) {
        public Side {
            isolatedBy = List.copyOf(isolatedBy);
            allowedBy = List.copyOf(allowedBy);
        }

        /** What this side allows. */
        public Connections allowed(boolean strict) {
            if (status != Status.ISOLATED) {
                return Connections.ALL;
            }
            Connections c = Connections.NONE;
            for (Allowance a : allowedBy) {
                if (!strict || !a.spoofable()) {
                    c = c.union(a.conns());
                }
            }
            return c;
        }
    }

    /**
     * A rule peer that admits the other side.
     *
     * @param policy    {@code ns/name}
     * @param direction the rule's direction
     * @param ruleIndex index in {@code spec.ingress} or {@code spec.egress}
     * @param peerIndex index in {@code from}/{@code to}, or -1 for a rule without peers (every peer)
     * @param conns     what the rule opens towards the destination
     * @param spoofable the peer does not pin identity
     */
    public record Allowance(String policy, Direction direction, int ruleIndex, int peerIndex, Connections conns, boolean spoofable) {
        public String rulePath() {
            return "spec." + direction.field() + "[" + ruleIndex + "]";
        }
    }

    /**
     * One end of a pair: a peer, or an external address (explained by that one address).
     *
     * @param peer    null for an external address
     * @param address the address of an external end, -1 for a peer
     */
    public record End(String name, ReachPeer peer, long address) {
        public static End of(ReachPeer peer) {
            return new End(peer.id(), peer, -1);
        }

        public static End of(ExternalRange range) {
            return new End(range.id(), null, range.first());
        }
    }

    /**
     * Explains {@code src} to {@code dst}, each a peer id ({@code ns/name[Kind]}), an external range id
     * ({@code a-b[External]}, explained by its first address) or an IPv4 address. Empty when a name is unknown.
     */
    public static Optional<Explanation> of(World world, IdentityKeys keys, String src, String dst, Integer port, Protocol protocol) {
        Optional<End> s = end(world, src);
        Optional<End> d = end(world, dst);
        if (s.isEmpty() || d.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(of(world, keys, s.get(), d.get(), port, protocol));
    }

    /** Explains {@code src} to {@code dst}, ends the caller already holds (a peer need not be one of the world's). */
    public static Explanation of(World world, IdentityKeys keys, End src, End dst, Integer port, Protocol protocol) {
        Side egress = side(world, keys, Direction.EGRESS, src, dst);
        Side ingress = side(world, keys, Direction.INGRESS, dst, src);
        Connections limit = port == null ? Connections.ALL : Connections.of(protocol == null ? Protocol.TCP : protocol, port);
        Connections result = src.peer() == null && dst.peer() == null ? Connections.NONE
                : egress.allowed(false).intersect(ingress.allowed(false)).intersect(limit);
        Connections strict = egress.allowed(true).intersect(ingress.allowed(true)).intersect(limit);
        return new Explanation(src.name(), dst.name(), port, protocol == null ? Protocol.TCP : protocol, egress, ingress, result,
                !result.isEmpty() && strict.isEmpty());
    }

    private static Optional<End> end(World world, String name) {
        for (ReachPeer p : world.peers()) {
            if (p.id().equals(name)) {
                return Optional.of(new End(name, p, -1));
            }
        }
        String addr = name.endsWith("[External]") ? name.substring(0, name.indexOf('-')) : name;
        try {
            var c = io.idgate.netpol.Cidr.parse(addr + "/32");
            return c.ipv4() ? Optional.of(new End(name, null, c.network().longValue())) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The side of {@code self} (whose policies count) towards {@code other}; {@code dst} owns the ports. */
    private static Side side(World world, IdentityKeys keys, Direction d, End self, End other) {
        if (self.peer() == null) {
            return new Side(d, self.name(), Status.EXTERNAL, List.of(), List.of());
        }
        ReachPeer me = self.peer();
        ReachPeer dest = d == Direction.INGRESS ? me : other.peer();
        List<String> isolating = new ArrayList<>();
        List<Allowance> allowed = new ArrayList<>();
        for (PolicyRules p : world.policies()) {
            if (!p.isolates(d) || !p.selects(me.namespace(), me.labels())) {
                continue;
            }
            isolating.add(p.id());
            for (PolicyRule r : p.rules(d)) {
                Connections conns = r.connections(dest == null ? List.of() : dest.ports());
                if (conns.isEmpty()) {
                    continue;
                }
                if (r.allPeers()) {
                    allowed.add(new Allowance(p.id(), d, r.index(), -1, conns, false));
                }
                for (int j = 0; j < r.peers().size(); j++) {
                    Peer peer = r.peers().get(j);
                    if (matches(world, peer, other)) {
                        allowed.add(new Allowance(p.id(), d, r.index(), j, conns, Spoofing.isSpoofable(peer, keys)));
                    }
                }
            }
        }
        return new Side(d, self.name(), isolating.isEmpty() ? Status.OPEN : Status.ISOLATED, isolating, allowed);
    }

    private static boolean matches(World world, Peer peer, End other) {
        if (other.peer() == null) {
            return peer.isIpBlock() && peer.ipBlock().containsIpv4(other.address());
        }
        ReachPeer o = other.peer();
        return peer.matchesPod(o.namespace(), world.namespaceLabels(o.namespace()), o.labels(), o.ips());
    }
}
