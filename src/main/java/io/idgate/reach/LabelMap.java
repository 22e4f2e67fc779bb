package io.idgate.reach;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable label map sorted by key, held as one array of keys and values: the live world keeps one
 * per workload, and a {@code TreeMap} (an entry object per label, and the views it caches once
 * iterated) costs about four times the bytes. Guava's {@code ImmutableSortedMap} was measured too: its
 * cached entry-set views made it no smaller than the TreeMap ({@code bench/live-reach-footprint.sh}).
 * Views are built per call and not kept, for the same reason.
 */
final class LabelMap extends AbstractMap<String, String> implements SortedMap<String, String> {

    private static final LabelMap EMPTY = new LabelMap(new String[0]);

    /** key, value, key, value, ... sorted by key, keys distinct. */
    private final String[] entries;

    private LabelMap(String[] entries) {
        this.entries = entries;
    }

    /** {@code labels} as a LabelMap ({@code labels} itself when it is one). Null keys or values are refused, as Kubernetes labels have none. */
    static LabelMap copyOf(Map<String, String> labels) {
        if (labels instanceof LabelMap l) {
            return l;
        }
        if (labels.isEmpty()) {
            return EMPTY;
        }
        SortedMap<String, String> sorted = labels instanceof SortedMap<String, String> s && s.comparator() == null ? s : new TreeMap<>(labels);
        String[] entries = new String[2 * sorted.size()];
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            entries[i++] = Objects.requireNonNull(e.getKey(), "label key");
            entries[i++] = Objects.requireNonNull(e.getValue(), "label value");
        }
        return new LabelMap(entries);
    }

    private int indexOf(Object key) {
        if (!(key instanceof String k)) {
            return -1;
        }
        int lo = 0;
        int hi = entries.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = entries[2 * mid].compareTo(k);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    @Override
    public String get(Object key) {
        int i = indexOf(key);
        return i >= 0 ? entries[2 * i + 1] : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return entries.length / 2;
    }

    @Override
    public boolean isEmpty() {
        return entries.length == 0;
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < entries.length;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (next >= entries.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, String> e = Map.entry(entries[next], entries[next + 1]);
                        next += 2;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return entries.length / 2;
            }
        };
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < entries.length; i += 2) {
            action.accept(entries[i], entries[i + 1]);
        }
    }

    /** Without the entry set: hashed once per class lookup in the live world. */
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < entries.length; i += 2) {
            h += entries[i].hashCode() ^ entries[i + 1].hashCode();
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof LabelMap l) {
            return Arrays.equals(entries, l.entries);
        }
        return super.equals(o);
    }

    @Override
    public Comparator<? super String> comparator() {
        return null;
    }

    @Override
    public String firstKey() {
        if (entries.length == 0) {
            throw new NoSuchElementException();
        }
        return entries[0];
    }

    @Override
    public String lastKey() {
        if (entries.length == 0) {
            throw new NoSuchElementException();
        }
        return entries[entries.length - 2];
    }

    @Override
    public SortedMap<String, String> subMap(String fromKey, String toKey) {
        if (fromKey.compareTo(toKey) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        return slice(from(fromKey), from(toKey));
    }

    @Override
    public SortedMap<String, String> headMap(String toKey) {
        return slice(0, from(Objects.requireNonNull(toKey)));
    }

    @Override
    public SortedMap<String, String> tailMap(String fromKey) {
        return slice(from(Objects.requireNonNull(fromKey)), size());
    }

    /** The index of the first key not less than {@code key}. */
    private int from(String key) {
        int i = indexOf(key);
        return i >= 0 ? i : -i - 1;
    }

    private LabelMap slice(int from, int to) {
        return from >= to ? EMPTY : new LabelMap(Arrays.copyOfRange(entries, 2 * from, 2 * to));
    }
}
