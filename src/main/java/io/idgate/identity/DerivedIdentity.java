package io.idgate.identity;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The identity labels and annotations a pod must carry, sorted by key so patches come out in a
 * stable order. Both maps hold owned keys only.
 */
public record DerivedIdentity(SortedMap<String, String> labels, SortedMap<String, String> annotations) {

    /** No identity at all: what a pod gets when its ServiceAccount cannot be read and that is allowed. */
    public static final DerivedIdentity NONE = new DerivedIdentity(new TreeMap<>(), new TreeMap<>());

    public DerivedIdentity {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }
}
