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
 * A range of IPv4 addresses outside the cluster that every ipBlock of the input treats alike. A value
 * (equal by its bounds); a class rather than a record only to keep its id once built, since previews
 * name every range of a state whose cuts moved.
 */
public final class ExternalRange {

    private final long first;
    private final long last;
    private String id;

    /**
     * @param first first address, 0..2^32-1
     * @param last  last address, inclusive
     */
    public ExternalRange(long first, long last) {
        this.first = first;
        this.last = last;
    }

    public long first() {
        return first;
    }

    public long last() {
        return last;
    }

    /** {@code <first>-<last>[External]}. */
    public String id() {
        String s = id;
        if (s == null) {
            id = s = ip(first) + "-" + ip(last) + "[External]"; // racy but idempotent: every thread builds the same string
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExternalRange r && r.first == first && r.last == last;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(first) * 31 + Long.hashCode(last);
    }

    @Override
    public String toString() {
        return "ExternalRange[first=" + first + ", last=" + last + "]";
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

    /**
     * {@code ranges} (cuts of the whole space, in order) cut also at {@code bounds}: the ranges no bound
     * falls inside are kept as they are (with their ids), the others split.
     */
    static List<ExternalRange> cutFiner(List<ExternalRange> ranges, Set<Long> bounds) {
        long[] sorted = bounds.stream().mapToLong(Long::longValue).sorted().toArray();
        List<ExternalRange> out = new ArrayList<>(ranges.size() + sorted.length);
        int b = 0;
        for (ExternalRange r : ranges) {
            while (b < sorted.length && sorted[b] <= r.first) {
                b++;
            }
            if (b == sorted.length || sorted[b] > r.last) {
                out.add(r);
                continue;
            }
            long from = r.first;
            while (b < sorted.length && sorted[b] <= r.last) {
                out.add(new ExternalRange(from, sorted[b] - 1));
                from = sorted[b++];
            }
            out.add(new ExternalRange(from, r.last));
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
