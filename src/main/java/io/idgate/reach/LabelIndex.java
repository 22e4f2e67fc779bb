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

    private final int size;
    private final Map<String, BitSet> withKey;
    private final Map<String, Map<String, BitSet>> withValue;

    LabelIndex(List<? extends Map<String, String>> labelMaps) {
        size = labelMaps.size();
        withKey = new HashMap<>();
        withValue = new HashMap<>();
        for (int i = 0; i < size; i++) {
            for (Map.Entry<String, String> label : labelMaps.get(i).entrySet()) {
                withKey.computeIfAbsent(label.getKey(), k -> new BitSet()).set(i);
                withValue.computeIfAbsent(label.getKey(), k -> new HashMap<>()).computeIfAbsent(label.getValue(), v -> new BitSet()).set(i);
            }
        }
    }

    /**
     * This index with {@code appended} after its label maps, this one unchanged (states of the live world
     * share it): only the sets and maps the new labels touch are copied.
     */
    LabelIndex plus(List<? extends Map<String, String>> appended) {
        if (appended.isEmpty()) {
            return this;
        }
        Map<String, BitSet> keys = new HashMap<>(withKey);
        Map<String, Map<String, BitSet>> values = new HashMap<>(withValue);
        java.util.Set<Object> copied = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int j = 0; j < appended.size(); j++) {
            int i = size + j;
            for (Map.Entry<String, String> label : appended.get(j).entrySet()) {
                keys.compute(label.getKey(), (k, bits) -> owned(bits, copied)).set(i);
                Map<String, BitSet> byValue = values.compute(label.getKey(), (k, m) -> {
                    if (m == null || !copied.contains(m)) {
                        m = m == null ? new HashMap<>() : new HashMap<>(m);
                        copied.add(m);
                    }
                    return m;
                });
                byValue.compute(label.getValue(), (v, bits) -> owned(bits, copied)).set(i);
            }
        }
        return new LabelIndex(size + appended.size(), keys, values);
    }

    private static BitSet owned(BitSet bits, java.util.Set<Object> copied) {
        BitSet out = bits == null ? new BitSet() : copied.contains(bits) ? bits : (BitSet) bits.clone();
        copied.add(out);
        return out;
    }

    private LabelIndex(int size, Map<String, BitSet> withKey, Map<String, Map<String, BitSet>> withValue) {
        this.size = size;
        this.withKey = withKey;
        this.withValue = withValue;
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
                case EXISTS -> out.and(withKey.getOrDefault(r.key(), NONE));
                case DOES_NOT_EXIST -> out.andNot(withKey.getOrDefault(r.key(), NONE));
            }
            if (out.isEmpty()) {
                break;
            }
        }
        return out;
    }

    private BitSet valued(String key, String value) {
        return withValue.getOrDefault(key, Map.of()).getOrDefault(value, NONE);
    }

    private BitSet anyOf(Requirement r) {
        BitSet any = new BitSet(size);
        for (String v : r.values()) {
            any.or(valued(r.key(), v));
        }
        return any;
    }
}
