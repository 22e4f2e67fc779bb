package io.idgate.netpol;

import java.math.BigInteger;

/**
 * An IPv4 or IPv6 CIDR block, parsed without any name resolution.
 *
 * <p>IPv4-mapped IPv6 blocks ({@code ::ffff:a.b.c.d/n} with {@code n >= 96}) are treated as the IPv4
 * block {@code a.b.c.d/(n-96)}, because that is the traffic they describe. IPv4 and IPv6 are separate
 * families: {@code ::/0} does not contain any IPv4 block, so {@code 0.0.0.0/0} and {@code ::/0} are each
 * allowed only when listed themselves.
 *
 * @param text     the text as written (used in messages)
 * @param ipv4     the family after IPv4-mapped normalisation
 * @param network  the address with host bits cleared
 * @param prefix   the prefix length within the family (0..32 or 0..128)
 * @param hostBits true when the written address had bits set after the prefix ({@code 10.0.0.1/8})
 */
public record Cidr(String text, boolean ipv4, BigInteger network, int prefix, boolean hostBits) {

    private static final BigInteger MAPPED_PREFIX = BigInteger.valueOf(0xffffL).shiftLeft(32);

    /** The family's width: 32 or 128 bits. */
    public int bits() {
        return ipv4 ? 32 : 128;
    }

    /** True for {@code 0.0.0.0/0} and {@code ::/0}: every address of the family. */
    public boolean isWholeFamily() {
        return prefix == 0;
    }

    /** True when every address of {@code other} is in this block (same family, shorter or equal prefix). */
    public boolean contains(Cidr other) {
        if (ipv4 != other.ipv4 || prefix > other.prefix) {
            return false;
        }
        int shift = bits() - prefix;
        return network.shiftRight(shift).equals(other.network.shiftRight(shift));
    }

    /** Canonical form with host bits cleared, e.g. {@code 10.0.0.0/8} or {@code fd00::/8} (IPv6 uncompressed groups). */
    public String canonical() {
        if (ipv4) {
            long v = network.longValue();
            return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255) + "/" + prefix;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 7; i >= 0; i--) {
            b.append(Integer.toHexString(network.shiftRight(i * 16).intValue() & 0xffff));
            if (i > 0) {
                b.append(':');
            }
        }
        return b.append('/').append(prefix).toString();
    }

    /**
     * Parses {@code address/prefix}.
     *
     * @throws IllegalArgumentException with a message users can act on when {@code text} is not a CIDR
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a CIDR must not be empty; write address/prefix such as 10.0.0.0/8");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw bad(text, "it needs exactly one /prefix");
        }
        String addr = text.substring(0, slash);
        String len = text.substring(slash + 1);
        if (!len.matches("0|[1-9][0-9]{0,2}")) {
            throw bad(text, "the prefix length must be a number");
        }
        int prefix = Integer.parseInt(len);
        boolean v4 = addr.indexOf(':') < 0;
        BigInteger address = v4 ? parseIpv4(text, addr) : parseIpv6(text, addr);
        int bits = v4 ? 32 : 128;
        if (prefix > bits) {
            throw bad(text, "the prefix length must be at most " + bits);
        }
        if (!v4 && prefix >= 96 && address.shiftRight(32).equals(MAPPED_PREFIX.shiftRight(32))) {
            v4 = true; // IPv4-mapped IPv6
            address = address.and(BigInteger.valueOf(0xffffffffL));
            prefix -= 96;
            bits = 32;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger network = address.andNot(mask);
        return new Cidr(text, v4, network, prefix, !network.equals(address));
    }

    private static BigInteger parseIpv4(String text, String addr) {
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            throw bad(text, "an IPv4 address has four dot-separated numbers");
        }
        long v = 0;
        for (String p : parts) {
            if (!p.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(p) > 255) {
                throw bad(text, "each IPv4 number must be 0-255 without leading zeros");
            }
            v = (v << 8) | Integer.parseInt(p);
        }
        return BigInteger.valueOf(v);
    }

    private static BigInteger parseIpv6(String text, String addr) {
        if (!addr.matches("[0-9A-Fa-f:.]+")) {
            throw bad(text, "an IPv6 address has only hex digits and colons (no zone, no brackets)");
        }
        int dc = addr.indexOf("::");
        if (dc >= 0 && addr.indexOf("::", dc + 1) >= 0) {
            throw bad(text, "'::' may appear only once");
        }
        String head = dc < 0 ? addr : addr.substring(0, dc);
        String tail = dc < 0 ? "" : addr.substring(dc + 2);
        int[] h = groups(text, head);
        int[] t = groups(text, tail);
        int total = h.length + t.length;
        if (dc < 0 ? total != 8 : total > 7) {
            throw bad(text, "an IPv6 address has eight groups of up to four hex digits");
        }
        int[] all = new int[8];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(t, 0, all, 8 - t.length, t.length);
        BigInteger v = BigInteger.ZERO;
        for (int g : all) {
            v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        }
        return v;
    }

    /** Groups of one side of '::'; a trailing dotted IPv4 counts as two groups. */
    private static int[] groups(String text, String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int n = parts.length;
        boolean dotted = parts[n - 1].contains(".");
        int[] out = new int[dotted ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (i == n - 1 && dotted) {
                long v4 = parseIpv4(text, p).longValue();
                out[i] = (int) (v4 >> 16);
                out[i + 1] = (int) (v4 & 0xffff);
            } else if (!p.matches("[0-9A-Fa-f]{1,4}")) {
                throw bad(text, "each IPv6 group must be one to four hex digits");
            } else {
                out[i] = Integer.parseInt(p, 16);
            }
        }
        return out;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\" is not a valid CIDR: " + why
                + "; write address/prefix such as 10.20.0.0/16 or fd00::/8");
    }
}
