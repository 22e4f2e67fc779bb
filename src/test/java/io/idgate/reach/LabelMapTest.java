package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link LabelMap} answers as the TreeMap it replaces does, for every read a label map gets; it cannot be changed. */
class LabelMapTest {

    private static final String[] KEYS = {"app", "tier", "team", "idgate.io/namespace", "idgate.io/service-account", "a", "z", "app.kubernetes.io/name"};

    @Test
    void readsAsTheTreeMapOfTheSameLabels() {
        Random r = new Random(7);
        for (int n = 0; n < 500; n++) {
            TreeMap<String, String> tree = new TreeMap<>();
            int size = r.nextInt(KEYS.length + 1);
            for (int i = 0; i < size; i++) {
                tree.put(KEYS[r.nextInt(KEYS.length)], "v" + r.nextInt(3));
            }
            Map<String, String> source = r.nextBoolean() ? tree : new HashMap<>(tree);
            LabelMap labels = LabelMap.copyOf(source);
            assertEquals(tree, labels);
            assertEquals(labels, tree);
            assertEquals(tree.hashCode(), labels.hashCode());
            assertEquals(tree.toString(), labels.toString());
            assertEquals(new ArrayList<>(tree.entrySet()), new ArrayList<>(labels.entrySet()));
            assertEquals(new ArrayList<>(tree.keySet()), new ArrayList<>(labels.keySet()));
            assertEquals(tree.size(), labels.size());
            assertEquals(tree.isEmpty(), labels.isEmpty());
            List<String> visited = new ArrayList<>();
            labels.forEach((k, v) -> visited.add(k + "=" + v));
            List<String> expected = new ArrayList<>();
            tree.forEach((k, v) -> expected.add(k + "=" + v));
            assertEquals(expected, visited);
            for (String key : KEYS) {
                assertEquals(tree.get(key), labels.get(key), key);
                assertEquals(tree.containsKey(key), labels.containsKey(key), key);
                assertEquals(tree.headMap(key), labels.headMap(key), "headMap " + key);
                assertEquals(tree.tailMap(key), labels.tailMap(key), "tailMap " + key);
                for (String to : KEYS) {
                    if (key.compareTo(to) <= 0) {
                        assertEquals(tree.subMap(key, to), labels.subMap(key, to), "subMap " + key + " " + to);
                    }
                }
            }
            if (!tree.isEmpty()) {
                assertEquals(tree.firstKey(), labels.firstKey());
                assertEquals(tree.lastKey(), labels.lastKey());
            }
        }
    }

    @Test
    void differentLabelsAreNotEqualEitherWay() {
        LabelMap a = LabelMap.copyOf(Map.of("app", "web", "tier", "front"));
        for (Map<String, String> other : List.of(Map.of("app", "web"), Map.of("app", "web", "tier", "back"), Map.of("app", "web", "team", "front"),
                Map.of("app", "web", "tier", "front", "team", "x"))) {
            assertNotEquals(a, LabelMap.copyOf(other));
            assertNotEquals(LabelMap.copyOf(other), a);
            assertNotEquals(a, new TreeMap<>(other));
            assertNotEquals(new TreeMap<>(other), a);
        }
        assertEquals(a, LabelMap.copyOf(new TreeMap<>(Map.of("tier", "front", "app", "web"))));
    }

    @Test
    void keysThatAreNotStringsOrAbsentReadAsAbsent() {
        LabelMap labels = LabelMap.copyOf(Map.of("app", "web"));
        assertNull(labels.get(42));
        assertFalse(labels.containsKey(null));
        assertNull(labels.get("App"));
        assertTrue(labels.containsKey("app"));
    }

    @Test
    void cannotBeChanged() {
        SortedMap<String, String> labels = LabelMap.copyOf(Map.of("app", "web", "tier", "front"));
        assertThrows(UnsupportedOperationException.class, () -> labels.put("app", "db"));
        assertThrows(UnsupportedOperationException.class, () -> labels.remove("app"));
        assertThrows(UnsupportedOperationException.class, labels::clear);
        assertThrows(UnsupportedOperationException.class, () -> labels.entrySet().iterator().next().setValue("db"));
        assertThrows(UnsupportedOperationException.class, () -> labels.keySet().iterator().remove());
        assertEquals(Map.of("app", "web", "tier", "front"), labels);
    }

    @Test
    void aLabelMapIsItsOwnCopyAndTheEmptyOneIsShared() {
        LabelMap labels = LabelMap.copyOf(Map.of("app", "web"));
        assertSame(labels, LabelMap.copyOf(labels));
        assertSame(LabelMap.copyOf(Map.of()), LabelMap.copyOf(new TreeMap<>()));
        assertThrows(NoSuchElementException.class, () -> LabelMap.copyOf(Map.of()).firstKey());
        assertThrows(NoSuchElementException.class, () -> LabelMap.copyOf(Map.of()).lastKey());
        assertThrows(NoSuchElementException.class, () -> LabelMap.copyOf(Map.of()).entrySet().iterator().next());
    }

    @Test
    void aMapOrderedOtherwiseIsSortedByKey() {
        TreeMap<String, String> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(Map.of("a", "1", "b", "2", "c", "3"));
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(LabelMap.copyOf(reversed).keySet()));
        assertEquals("2", LabelMap.copyOf(reversed).get("b"));
    }

    @Test
    void nullKeysOrValuesAreRefused() {
        Map<String, String> withNull = new HashMap<>();
        withNull.put("app", null);
        assertThrows(NullPointerException.class, () -> LabelMap.copyOf(withNull));
        assertThrows(IllegalArgumentException.class, () -> LabelMap.copyOf(Map.of("a", "1")).subMap("b", "a"));
    }
}
