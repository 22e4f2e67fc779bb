package io.idgate.netpol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of connections: per protocol a set of port ranges within 1..65535. Immutable and canonical
 * (ranges sorted, overlapping and adjacent ones merged), so {@code equals} is set equality.
 *
 * <p>"All connections" is every port of every protocol. A rule without {@code ports} also admits
 * protocols NetworkPolicy cannot name (ICMP); like other connectivity analyzers we print both as
 * {@code All Connections}, because NetworkPolicy cannot tell them apart either: a set holding every
 * port of TCP, UDP and SCTP is only reachable through rules that name no port at all.
 */
public final class Connections {

    public static final int MIN_PORT = 1;
    public static final int MAX_PORT = 65535;

    private static final int[] EMPTY = new int[0];
    private static final int[] FULL = {MIN_PORT, MAX_PORT};

    public static final Connections NONE = new Connections(new int[][] {EMPTY, EMPTY, EMPTY});
    public static final Connections ALL = new Connections(new int[][] {FULL, FULL, FULL});

    /** Per protocol (ordinal), flattened sorted disjoint non-adjacent ranges: lo0, hi0, lo1, hi1, ... */
    private final int[][] ranges;
    private final int hash;

    private Connections(int[][] ranges) {
        this.ranges = ranges;
        this.hash = Arrays.deepHashCode(ranges);
    }

    /** Ports {@code from..to} (inclusive) of one protocol; clipped to 1..65535. */
    public static Connections of(Protocol protocol, int from, int to) {
        int lo = Math.max(MIN_PORT, from);
        int hi = Math.min(MAX_PORT, to);
        if (lo > hi) {
            return NONE;
        }
        int[][] r = {EMPTY, EMPTY, EMPTY};
        r[protocol.ordinal()] = new int[] {lo, hi};
        return canonical(r);
    }

    /** One port of one protocol. */
    public static Connections of(Protocol protocol, int port) {
        return of(protocol, port, port);
    }

    /** Every port of one protocol. */
    public static Connections allOf(Protocol protocol) {
        return of(protocol, MIN_PORT, MAX_PORT);
    }

    public boolean isEmpty() {
        return this == NONE || (ranges[0].length == 0 && ranges[1].length == 0 && ranges[2].length == 0);
    }

    public boolean isAll() {
        return this == ALL || (Arrays.equals(ranges[0], FULL) && Arrays.equals(ranges[1], FULL) && Arrays.equals(ranges[2], FULL));
    }

    /** True when {@code port} of {@code protocol} is in the set. */
    public boolean contains(Protocol protocol, int port) {
        int[] r = ranges[protocol.ordinal()];
        for (int i = 0; i < r.length; i += 2) {
            if (port >= r[i] && port <= r[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** True when every connection of {@code other} is in this set. */
    public boolean containsAll(Connections other) {
        return other.union(this).equals(this);
    }

    /** The ranges of one protocol, each {@code {lo, hi}}. */
    public List<int[]> ranges(Protocol protocol) {
        int[] r = ranges[protocol.ordinal()];
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < r.length; i += 2) {
            out.add(new int[] {r[i], r[i + 1]});
        }
        return out;
    }

    public Connections union(Connections other) {
        if (isEmpty() || other.isAll()) {
            return other;
        }
        if (other.isEmpty() || isAll()) {
            return this;
        }
        int[][] r = new int[3][];
        for (int p = 0; p < 3; p++) {
            int[] a = ranges[p];
            int[] b = other.ranges[p];
            int[] both = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            r[p] = both;
        }
        return canonical(r);
    }

    public Connections intersect(Connections other) {
        if (isAll() || other.isEmpty()) {
            return other;
        }
        if (other.isAll() || isEmpty()) {
            return this;
        }
        int[][] r = new int[3][];
        for (int p = 0; p < 3; p++) {
            int[] a = ranges[p];
            int[] b = other.ranges[p];
            int[] out = new int[a.length + b.length];
            int n = 0;
            int i = 0;
            int j = 0;
            while (i < a.length && j < b.length) {
                int lo = Math.max(a[i], b[j]);
                int hi = Math.min(a[i + 1], b[j + 1]);
                if (lo <= hi) {
                    out[n++] = lo;
                    out[n++] = hi;
                }
                if (a[i + 1] < b[j + 1]) {
                    i += 2;
                } else {
                    j += 2;
                }
            }
            r[p] = Arrays.copyOf(out, n);
        }
        return canonical(r);
    }

    /** The connections of this set that {@code other} does not hold (what a change removes or adds). */
    public Connections minus(Connections other) {
        if (other.isEmpty() || isEmpty()) {
            return this;
        }
        if (other.isAll()) {
            return NONE;
        }
        int[][] gaps = new int[3][];
        for (int p = 0; p < 3; p++) {
            int[] b = other.ranges[p];
            int[] out = new int[b.length + 2];
            int n = 0;
            int next = MIN_PORT;
            for (int i = 0; i < b.length; i += 2) {
                if (b[i] > next) {
                    out[n++] = next;
                    out[n++] = b[i] - 1;
                }
                next = b[i + 1] + 1;
            }
            if (next <= MAX_PORT) {
                out[n++] = next;
                out[n++] = MAX_PORT;
            }
            gaps[p] = Arrays.copyOf(out, n);
        }
        return intersect(canonical(gaps));
    }

    /** Sorts and merges overlapping or adjacent ranges; returns the shared constants where it can. */
    private static Connections canonical(int[][] r) {
        boolean empty = true;
        boolean all = true;
        for (int p = 0; p < 3; p++) {
            r[p] = merge(r[p]);
            empty &= r[p].length == 0;
            all &= Arrays.equals(r[p], FULL);
        }
        return empty ? NONE : all ? ALL : new Connections(r);
    }

    private static int[] merge(int[] flat) {
        int n = flat.length / 2;
        if (n <= 1) {
            return flat.length == 0 ? EMPTY : flat;
        }
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = ((long) flat[2 * i] << 32) | flat[2 * i + 1];
        }
        Arrays.sort(packed);
        int[] out = new int[flat.length];
        int m = 0;
        for (long pr : packed) {
            int lo = (int) (pr >>> 32);
            int hi = (int) pr;
            if (m > 0 && lo <= out[m - 1] + 1) {
                out[m - 1] = Math.max(out[m - 1], hi);
            } else {
                out[m++] = lo;
                out[m++] = hi;
            }
        }
        return Arrays.copyOf(out, m);
    }

    /**
     * The set a protocol-group text names, the inverse of {@link #toString()}: {@code All Connections},
     * or groups {@code <PROTOCOL> <port|lo-hi>[,<port|lo-hi>...]} separated by commas, e.g.
     * {@code TCP 80,8080-8090,UDP 53}; a protocol alone ({@code UDP}) is every port of it.
     *
     * @throws IllegalArgumentException with what is wrong and how to write it
     */
    public static Connections parse(String text) {
        String hint = "; write protocol groups such as \"TCP 8443\" or \"TCP 80,8080-8090,UDP 53\" (TCP, UDP or SCTP, ports 1-65535)";
        String t = text == null ? "" : text.strip();
        if (t.equals("All Connections")) {
            return ALL;
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("an empty port spec" + hint);
        }
        Connections out = NONE;
        Protocol protocol = null;
        for (String raw : t.split(",", -1)) {
            String item = raw.strip();
            String[] words = item.split("\\s+");
            if (words.length == 2 || (words.length == 1 && Protocol.fromWire(words[0]).isPresent())) {
                protocol = Protocol.fromWire(words[0]).orElseThrow(() -> new IllegalArgumentException(
                        "\"" + words[0] + "\" in \"" + t + "\" is not a protocol" + hint));
                if (words.length == 1) {
                    out = out.union(allOf(protocol));
                    continue;
                }
                item = words[1];
            } else if (words.length != 1 || protocol == null) {
                throw new IllegalArgumentException(protocol == null ? "\"" + t + "\" does not start with a protocol" + hint
                        : "\"" + item + "\" in \"" + t + "\" is not a port" + hint);
            }
            int dash = item.indexOf('-', 1);
            int lo = port(dash < 0 ? item : item.substring(0, dash), t, hint);
            int hi = dash < 0 ? lo : port(item.substring(dash + 1), t, hint);
            if (hi < lo) {
                throw new IllegalArgumentException("the range " + item + " in \"" + t + "\" ends before it starts" + hint);
            }
            out = out.union(of(protocol, lo, hi));
        }
        return out;
    }

    private static int port(String text, String spec, String hint) {
        int p;
        try {
            p = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" in \"" + spec + "\" is not a port number" + hint, e);
        }
        if (p < MIN_PORT || p > MAX_PORT) {
            throw new IllegalArgumentException("port " + p + " in \"" + spec + "\" is outside 1-65535" + hint);
        }
        return p;
    }

    /** {@code All Connections}, {@code No Connections}, or e.g. {@code TCP 80,8080-8090,UDP 53}. */
    @Override
    public String toString() {
        if (isAll()) {
            return "All Connections";
        }
        if (isEmpty()) {
            return "No Connections";
        }
        List<String> parts = new ArrayList<>();
        for (Protocol p : Protocol.values()) {
            int[] r = ranges[p.ordinal()];
            if (r.length == 0) {
                continue;
            }
            StringBuilder b = new StringBuilder(p.name()).append(' ');
            for (int i = 0; i < r.length; i += 2) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(r[i]);
                if (r[i + 1] != r[i]) {
                    b.append('-').append(r[i + 1]);
                }
            }
            parts.add(b.toString());
        }
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Connections c && hash == c.hash && Arrays.deepEquals(ranges, c.ranges);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
