package io.idgate.reach;

import io.idgate.netpol.Connections;
import java.util.Arrays;

/**
 * One row of the reachability matrix (see {@link Reachability}): per node, what the row's rules allow,
 * or null for nothing. Rows are sparse in practice (a policy admits a few classes: under 1 % of the
 * entries are set in the scale world of {@code make bench}), and the live state keeps hundreds of
 * them, so only the set entries are stored: a bit per node says which are, a count per 64 nodes
 * finds an entry's value in constant time. A row of 5,000 nodes with 45 entries takes about 1 KB
 * instead of the 20 KB of an array of references. Immutable.
 */
final class Row {

    private static final Row EMPTY = new Row(new long[0], new int[0], new Connections[0], 0);

    /** Bit {@code i}: node {@code i} has an entry. */
    private final long[] bits;
    /** Entries before word {@code w} of {@link #bits}. */
    private final int[] before;
    /** The entries, in node order. */
    private final Connections[] values;
    private final int length;

    private Row(long[] bits, int[] before, Connections[] values, int length) {
        this.bits = bits;
        this.before = before;
        this.values = values;
        this.length = length;
    }

    /** The row of {@code entries} (null: nothing), which the row does not keep. */
    static Row of(Connections[] entries) {
        Builder b = new Builder(entries.length);
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] != null) {
                b.set(i, entries[i]);
            }
        }
        return b.build();
    }

    /**
     * A row being filled: entries set in any order, then {@link #build} in one pass over the set ones.
     * The row built shares the builder's bits: a builder is not used after {@code build}.
     */
    static final class Builder {
        private final Connections[] entries;
        private final long[] bits;
        private int count;

        Builder(int length) {
            entries = new Connections[length];
            bits = new long[(length + 63) >>> 6];
        }

        /** {@code from}'s entries (those below {@code length}), to extend. */
        Builder(Row from, int length) {
            this(length);
            int n = 0;
            for (int w = 0; w < from.bits.length; w++) {
                for (long word = from.bits[w]; word != 0; word &= word - 1) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(word);
                    if (i < length) {
                        set(i, from.values[n]);
                    }
                    n++;
                }
            }
        }

        Connections get(int i) {
            return entries[i];
        }

        void set(int i, Connections c) {
            if (entries[i] == null) {
                count++;
                bits[i >>> 6] |= 1L << i;
            }
            entries[i] = c;
        }

        Row build() {
            if (count == 0) {
                return EMPTY;
            }
            int[] before = new int[bits.length];
            Connections[] values = new Connections[count];
            int n = 0;
            for (int w = 0; w < bits.length; w++) {
                before[w] = n;
                for (long word = bits[w]; word != 0; word &= word - 1) {
                    values[n++] = entries[(w << 6) + Long.numberOfTrailingZeros(word)];
                }
            }
            return new Row(bits, before, values, entries.length);
        }
    }

    /** Entry {@code i}, null when nothing is allowed (and beyond the row's end: a row computed before classes were appended). */
    Connections get(int i) {
        int w = i >>> 6;
        if (w >= bits.length) {
            return null;
        }
        long word = bits[w];
        long bit = 1L << i;
        if ((word & bit) == 0) {
            return null;
        }
        return values[before[w] + Long.bitCount(word & (bit - 1))];
    }

    /** Sets in {@code nodes} the bit of every node this row has an entry for. */
    void addEntriesTo(java.util.BitSet nodes) {
        nodes.or(java.util.BitSet.valueOf(bits));
    }

    /** Entries set (for figures and tests). */
    int entries() {
        return values.length;
    }

    int length() {
        return length;
    }

    @Override
    public String toString() {
        Connections[] all = new Connections[length];
        for (int i = 0; i < length; i++) {
            all[i] = get(i);
        }
        return "Row" + Arrays.toString(all);
    }
}
