package io.idgate.netpol;

import java.math.BigInteger;
import java.util.List;

/**
 * A NetworkPolicy {@code ipBlock}: the addresses of {@code cidr} minus those of every {@code except}.
 *
 * @param cidr   the block
 * @param except blocks carved out of it (each a strict subset of {@code cidr} in a valid policy)
 */
public record IpBlock(Cidr cidr, List<Cidr> except) {

    public IpBlock {
        except = except == null ? List.of() : List.copyOf(except);
    }

    /** True when the single address {@code ip} (a /32 or /128 {@link Cidr}) is in the block and in no except. */
    public boolean containsAddress(Cidr ip) {
        return cidr.contains(ip) && except.stream().noneMatch(e -> e.contains(ip));
    }

    /** True when the IPv4 address {@code address} (0..2^32-1) is in the block and in no except. */
    public boolean containsIpv4(long address) {
        return cidr.ipv4() && inside(cidr, address) && except.stream().noneMatch(e -> e.ipv4() && inside(e, address));
    }

    private static boolean inside(Cidr c, long address) {
        long first = first(c);
        return address >= first && address <= last(c);
    }

    /** First address of an IPv4 block. */
    public static long first(Cidr c) {
        return c.network().longValue();
    }

    /** Last address of an IPv4 block. */
    public static long last(Cidr c) {
        return c.network().add(BigInteger.ONE.shiftLeft(32 - c.prefix())).longValue() - 1;
    }
}
