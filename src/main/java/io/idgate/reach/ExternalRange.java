package io.idgate.reach;

import io.idgate.netpol.Cidr;
import io.idgate.netpol.Direction;
import io.idgate.netpol.IpBlock;
import io.idgate.netpol.Peer;
import io.idgate.netpol.PolicyRule;
import io.idgate.netpol.PolicyRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A range of IPv4 addresses outside the cluster that every ipBlock of the input treats alike.
 *
 * @param first first address, 0..2^32-1
 * @param last  last address, inclusive
 */
public record ExternalRange(long first, long last) {

    /** {@code <first>-<last>[External]}. */
    public String id() {
        return ip(first) + "-" + ip(last) + "[External]";
    }

    public boolean contains(long address) {
        return address >= first && address <= last;
    }

    public static String ip(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }

    /** The IPv4 space cut at every CIDR and except bound of the policies: the ranges every ipBlock treats alike. */
    @SafeVarargs
    static List<ExternalRange> cuts(List<PolicyRules>... policyLists) {
        TreeSet<Long> bounds = new TreeSet<>();
        bounds.add(0L);
        bounds.add(1L << 32);
        for (List<PolicyRules> policies : policyLists) {
            for (PolicyRules p : policies) {
                bounds.addAll(bounds(p));
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

    /** Where {@code policy}'s IPv4 CIDRs and excepts cut the address space: each one's first address and the one after its last. */
    static Set<Long> bounds(PolicyRules policy) {
        Set<Long> bounds = new HashSet<>();
        for (Direction d : Direction.values()) {
            for (PolicyRule r : policy.rules(d)) {
                for (Peer peer : r.peers()) {
                    if (peer.isIpBlock() && peer.ipBlock().cidr().ipv4()) {
                        addBounds(bounds, peer.ipBlock().cidr());
                        peer.ipBlock().except().stream().filter(Cidr::ipv4).forEach(e -> addBounds(bounds, e));
                    }
                }
            }
        }
        return bounds;
    }

    private static void addBounds(Set<Long> bounds, Cidr c) {
        bounds.add(IpBlock.first(c));
        bounds.add(IpBlock.last(c) + 1);
    }
}
