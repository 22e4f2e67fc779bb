package io.idgate.reach;

import io.idgate.netpol.LabelSelector;
import io.idgate.netpol.LabelSelector.Requirement;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a fixed list of label maps a selector selects, as a bit set over their positions: per key
 * the maps that carry it, per key and value the maps that carry that value. A selector then costs a few
 * bit-set operations per requirement instead of a map lookup per label map, which is what makes a
 * NetworkPolicy's matches over thousands of peer classes cheap at admission. Same answers as
 * {@link io.idgate.netpol.Selectors#matches} (a null selector selects nothing).
 */
final class LabelIndex {

    private static final BitSet NONE = new BitSet();

    /** Overlays deeper than this are flattened into one index (a lookup walks the overlays). */
    private static final int MAX_DEPTH = 8;

    private final int size;
    private final Map<String, BitSet> withKey;
    /**
     * Per key and value, the positions that carry it: an {@link Integer} when one map does (most values of
     * labels unique to a pod, such as a StatefulSet pod's name: a bit set would be as long as the position
     * is high), a {@link BitSet} otherwise.
     */
    private final Map<String, Map<String, Object>> withValue;
    /** The index this one adds label maps to: its entries are this one's unless replaced here. Null for a flat index. */
    private final LabelIndex under;
    private final int depth;

    LabelIndex(List<? extends Map<String, String>> labelMaps) {
        this(labelMaps.size(), new HashMap<>(), new HashMap<>(), null);
        for (int i = 0; i < size; i++) {
            for (Map.Entry<String, String> label : labelMaps.get(i).entrySet()) {
                withKey.computeIfAbsent(label.getKey(), k -> new BitSet()).set(i);
                withValue.computeIfAbsent(label.getKey(), k -> new HashMap<>()).merge(label.getValue(), i, (had, one) -> with(had, (int) one, false));
            }
        }
    }

    private LabelIndex(int size, Map<String, BitSet> withKey, Map<String, Map<String, Object>> withValue, LabelIndex under) {
        this.size = size;
        this.withKey = withKey;
        this.withValue = withValue;
        this.under = under;
        this.depth = under == null ? 0 : under.depth + 1;
    }

    /**
     * This index with {@code appended} after its label maps, this one unchanged (states of the live world
     * share it): an overlay holding only the sets the new labels change, so a pod joining costs its own
     * labels, not a copy of every value of a key like {@code app}.
     */
    LabelIndex plus(List<? extends Map<String, String>> appended) {
        if (appended.isEmpty()) {
            return this;
        }
        LabelIndex base = depth >= MAX_DEPTH ? flat() : this;
        LabelIndex out = new LabelIndex(size + appended.size(), new HashMap<>(), new HashMap<>(), base);
        for (int j = 0; j < appended.size(); j++) {
            int i = size + j;
            for (Map.Entry<String, String> label : appended.get(j).entrySet()) {
                out.withKey.computeIfAbsent(label.getKey(), k -> (BitSet) base.keyed(k).clone()).set(i);
                Map<String, Object> byValue = out.withValue.computeIfAbsent(label.getKey(), k -> new HashMap<>());
                Object mine = byValue.get(label.getValue());
                // positions of the base are copied, never changed: states of the live world share the base
                byValue.put(label.getValue(), mine != null ? with(mine, i, false) : with(base.positions(label.getKey(), label.getValue()), i, true));
            }
        }
        return out;
    }

    /** One index with every entry of this one and the overlays under it. */
    private LabelIndex flat() {
        if (under == null) {
            return this;
        }
        LabelIndex below = under.flat();
        Map<String, BitSet> keys = new HashMap<>(below.withKey);
        keys.putAll(withKey);
        Map<String, Map<String, Object>> values = new HashMap<>(below.withValue);
        withValue.forEach((k, mine) -> values.merge(k, mine, (theirs, ours) -> {
            Map<String, Object> merged = new HashMap<>(theirs);
            merged.putAll(ours);
            return merged;
        }));
        return new LabelIndex(size, keys, values, null);
    }

    /** The positions of the label maps {@code selector} selects (a new set the caller may change). */
    BitSet select(LabelSelector selector) {
        BitSet out = new BitSet(size);
        if (selector == null) {
            return out;
        }
        out.set(0, size);
        for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
            out.and(valued(e.getKey(), e.getValue()));
        }
        for (Requirement r : selector.matchExpressions()) {
            switch (r.operator()) {
                case IN -> out.and(anyOf(r));
                case NOT_IN -> out.andNot(anyOf(r));
                case EXISTS -> out.and(keyed(r.key()));
                case DOES_NOT_EXIST -> out.andNot(keyed(r.key()));
            }
            if (out.isEmpty()) {
                break;
            }
        }
        return out;
    }

    private BitSet keyed(String key) {
        BitSet bits = withKey.get(key);
        return bits != null ? bits : under != null ? under.keyed(key) : NONE;
    }

    private BitSet valued(String key, String value) {
        Object positions = positions(key, value);
        if (positions instanceof Integer one) {
            BitSet bits = new BitSet(one + 1);
            bits.set(one);
            return bits;
        }
        return positions == null ? NONE : (BitSet) positions;
    }

    /** The positions carrying {@code key=value} ({@link #withValue}'s form), null when none does. */
    private Object positions(String key, String value) {
        Map<String, Object> byValue = withValue.get(key);
        Object positions = byValue == null ? null : byValue.get(value);
        return positions != null ? positions : under != null ? under.positions(key, value) : null;
    }

    /** {@code positions} (null: none) and position {@code i}; a bit set is changed in place unless {@code copy}. */
    private static Object with(Object positions, int i, boolean copy) {
        if (positions == null) {
            return i;
        }
        if (positions instanceof Integer one) {
            BitSet bits = new BitSet();
            bits.set(one);
            bits.set(i);
            return bits;
        }
        BitSet bits = copy ? (BitSet) ((BitSet) positions).clone() : (BitSet) positions;
        bits.set(i);
        return bits;
    }

    private BitSet anyOf(Requirement r) {
        BitSet any = new BitSet(size);
        for (String v : r.values()) {
            any.or(valued(r.key(), v));
        }
        return any;
    }
}
