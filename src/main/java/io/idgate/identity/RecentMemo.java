package io.idgate.identity;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values of a pure function remembered for the inputs seen recently: two generations of at most
 * {@code generation} entries each, the older dropped when the newer fills, and an entry read from the
 * older moved to the newer. Bounded memory without an LRU list, and the inputs in use stay. For what
 * every pod of a ServiceAccount shares (its keys, its patch), so per-pod work runs once per identity.
 */
public final class RecentMemo<K, V> {

    private final int generation;
    private volatile ConcurrentHashMap<K, V> current = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<K, V> older = new ConcurrentHashMap<>();

    public RecentMemo(int generation) {
        this.generation = generation;
    }

    /** {@code compute.apply(key)}, remembered; {@code compute} must be pure (it may run twice for one key under a race). */
    public V get(K key, Function<? super K, ? extends V> compute) {
        V value = current.get(key);
        if (value != null) {
            return value;
        }
        value = older.get(key);
        if (value == null) {
            value = compute.apply(key);
        }
        remember(key, value);
        return value;
    }

    private void remember(K key, V value) {
        ConcurrentHashMap<K, V> now = current;
        if (now.size() >= generation) {
            synchronized (this) {
                if (current == now) { // one thread starts the next generation
                    older = now;
                    current = now = new ConcurrentHashMap<>();
                } else {
                    now = current;
                }
            }
        }
        now.put(key, value);
    }
}
