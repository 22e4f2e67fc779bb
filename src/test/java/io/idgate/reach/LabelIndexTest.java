package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.idgate.netpol.LabelSelector;
import io.idgate.netpol.LabelSelector.Operator;
import io.idgate.netpol.LabelSelector.Requirement;
import io.idgate.netpol.Selectors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The label index selects exactly what {@link Selectors#matches} selects: each operator both ways, then random selectors. */
class LabelIndexTest {

    private static final List<Map<String, String>> MAPS = List.of(
            Map.of(),                                  // 0
            Map.of("app", "web"),                      // 1
            Map.of("app", "web", "tier", "front"),     // 2
            Map.of("app", "db", "tier", "back"),       // 3
            Map.of("tier", "back"));                   // 4

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("{} selects every map", LabelSelector.ALL, "0,1,2,3,4"),
                Arguments.of("null selects nothing", null, ""),
                Arguments.of("matchLabels app=web", LabelSelector.of(Map.of("app", "web")), "1,2"),
                Arguments.of("matchLabels of a value nobody has", LabelSelector.of(Map.of("app", "cache")), ""),
                Arguments.of("matchLabels of a key nobody has", LabelSelector.of(Map.of("zone", "a")), ""),
                Arguments.of("two matchLabels are ANDed", LabelSelector.of(Map.of("app", "web", "tier", "front")), "2"),
                Arguments.of("In takes any of its values", expr("app", Operator.IN, "web", "db"), "1,2,3"),
                Arguments.of("In leaves out maps without the key", expr("tier", Operator.IN, "back"), "3,4"),
                Arguments.of("NotIn keeps maps without the key", expr("app", Operator.NOT_IN, "web"), "0,3,4"),
                Arguments.of("NotIn of every value keeps only maps without the key", expr("app", Operator.NOT_IN, "web", "db"), "0,4"),
                Arguments.of("Exists", expr("tier", Operator.EXISTS), "2,3,4"),
                Arguments.of("Exists of a key nobody has", expr("zone", Operator.EXISTS), ""),
                Arguments.of("DoesNotExist", expr("tier", Operator.DOES_NOT_EXIST), "0,1"),
                Arguments.of("DoesNotExist of a key nobody has selects all", expr("zone", Operator.DOES_NOT_EXIST), "0,1,2,3,4"),
                Arguments.of("matchLabels and an expression are ANDed",
                        new LabelSelector(new TreeMap<>(Map.of("app", "web")), List.of(new Requirement("tier", Operator.DOES_NOT_EXIST, List.of()))), "1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void selectsWhatSelectorsMatch(String name, LabelSelector selector, String expected) {
        assertEquals(expected, positions(new LabelIndex(MAPS).select(selector)), "index");
        BitSet byMatch = new BitSet();
        for (int i = 0; i < MAPS.size(); i++) {
            if (Selectors.matches(selector, MAPS.get(i))) {
                byMatch.set(i);
            }
        }
        assertEquals(expected, positions(byMatch), "Selectors.matches");
    }

    @Test
    void randomSelectorsOverRandomMapsAgreeWithSelectorsMatches() {
        Random r = new Random(7);
        String[] keys = {"a", "b", "c"};
        String[] values = {"1", "2", "3"};
        for (int round = 0; round < 300; round++) {
            List<Map<String, String>> maps = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Map<String, String> m = new TreeMap<>();
                for (String k : keys) {
                    if (r.nextBoolean()) {
                        m.put(k, values[r.nextInt(values.length)]);
                    }
                }
                maps.add(m);
            }
            TreeMap<String, String> labels = new TreeMap<>();
            if (r.nextInt(3) == 0) {
                labels.put(keys[r.nextInt(keys.length)], values[r.nextInt(values.length)]);
            }
            List<Requirement> exprs = new ArrayList<>();
            for (int e = r.nextInt(3); e > 0; e--) {
                Operator op = Operator.values()[r.nextInt(Operator.values().length)];
                List<String> vs = op == Operator.IN || op == Operator.NOT_IN ? List.of(values[r.nextInt(3)], values[r.nextInt(3)]).stream().distinct().toList() : List.of();
                exprs.add(new Requirement(keys[r.nextInt(keys.length)], op, vs));
            }
            LabelSelector selector = new LabelSelector(labels, exprs);
            BitSet expected = new BitSet();
            for (int i = 0; i < maps.size(); i++) {
                if (Selectors.matches(selector, maps.get(i))) {
                    expected.set(i);
                }
            }
            assertEquals(expected, new LabelIndex(maps).select(selector), "round " + round + ": " + selector + " over " + maps);
            // grown a few maps at a time, as the live world grows it (overlays, flattened past their depth)
            LabelIndex grown = new LabelIndex(maps.subList(0, 3));
            LabelIndex first = grown;
            for (int from = 3; from < maps.size(); from += 1 + from % 2) {
                grown = grown.plus(maps.subList(from, Math.min(maps.size(), from + 1 + from % 2)));
            }
            assertEquals(expected, grown.select(selector), "round " + round + ", grown: " + selector + " over " + maps);
            BitSet ofFirst = new BitSet();
            ofFirst.or(expected);
            ofFirst.clear(3, maps.size());
            assertEquals(ofFirst, first.select(selector), "round " + round + ": the index grown from is unchanged");
        }
    }

    private static LabelSelector expr(String key, Operator op, String... values) {
        return new LabelSelector(new TreeMap<>(), List.of(new Requirement(key, op, List.of(values))));
    }

    private static String positions(BitSet bits) {
        return String.join(",", bits.stream().mapToObj(Integer::toString).toList());
    }
}
