package io.idgate.reach;

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
}
