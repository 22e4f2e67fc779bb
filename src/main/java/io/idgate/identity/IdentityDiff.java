package io.idgate.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * How the owned keys of an object differ from the keys it must carry. Used by the mutating webhook to
 * build its patch, by the validating webhook to deny, and by the CLI to report.
 */
public final class IdentityDiff {

    private IdentityDiff() {}

    /**
     * Changes that turn the owned keys of {@code labels}/{@code annotations} (whole maps, may be null)
     * into exactly {@code desired}, labels first, each section sorted by key.
     */
    public static List<KeyChange> changes(
            IdentityKeys keys, Map<String, String> labels, Map<String, String> annotations, DerivedIdentity desired) {
        List<KeyChange> changes = new ArrayList<>();
        section(changes, KeyChange.Section.LABELS, keys.owned(labels), desired.labels());
        section(changes, KeyChange.Section.ANNOTATIONS, keys.owned(annotations), desired.annotations());
        return List.copyOf(changes);
    }

    /** The owned keys of an object, as a {@link DerivedIdentity} (to compare an UPDATE with its old object). */
    public static DerivedIdentity ownedOf(IdentityKeys keys, Map<String, String> labels, Map<String, String> annotations) {
        return new DerivedIdentity(keys.owned(labels), keys.owned(annotations));
    }

    private static void section(
            List<KeyChange> out, KeyChange.Section section, SortedMap<String, String> have, SortedMap<String, String> want) {
        TreeSet<String> allKeys = new TreeSet<>(have.keySet());
        allKeys.addAll(want.keySet());
        for (String key : allKeys) {
            String h = have.get(key);
            String w = want.get(key);
            if (h == null ? w != null : !h.equals(w)) {
                out.add(new KeyChange(section, key, h, w));
            }
        }
    }
}
