package io.idgate.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.idgate.netpol.LabelSelector;
import io.idgate.netpol.Selectors;
import io.idgate.netpol.LabelSelector.Operator;
import io.idgate.netpol.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The selector engine against a reference written from the Kubernetes label-selector semantics
 * (apimachinery {@code labels.Selector}: every requirement ANDed; {@code matchLabels k: v} is
 * {@code k In [v]}; In needs the key with a listed value, NotIn the key absent or unlisted, Exists
 * present, DoesNotExist absent).
 *
 * <p>Selectors are drawn over three keys and three values, so every question has an exact answer by
 * enumeration: a label map gives each key one of absent, a listed value or a value no selector
 * mentions (which stands for all others). Satisfiability, overlap, required keys and required values
 * are checked against that enumeration, not only matching.
 */
@ExtendWith(FuzzRuns.class)
class SelectorsFuzzTest {

    private static final List<String> KEYS = List.of("app", "idgate.io/service-account", "groups.idgate.io/payments");
    private static final List<String> VALUES = List.of("", "web", "true");
    private static final String UNLISTED = "unlisted-value";
    private static final List<Map<String, String>> UNIVERSE = universe();

    @FuzzTest
    void selectors(FuzzedDataProvider data) {
        FuzzRuns.count();
        check(data);
    }

    static void check(FuzzedDataProvider data) {
        LabelSelector a = selector(data);
        LabelSelector b = selector(data);
        Map<String, String> labels = UNIVERSE.get(data.consumeInt(0, UNIVERSE.size() - 1));

        check(Selectors.matches(a, labels) == matches(a, labels), "matches", a, labels);
        List<Map<String, String>> selected = UNIVERSE.stream().filter(m -> matches(a, m)).toList();
        check(Selectors.isSatisfiable(a) == !selected.isEmpty(), "isSatisfiable", a, null);
        boolean overlap = selected.stream().anyMatch(m -> matches(b, m));
        check(Selectors.mayOverlap(a, b) == overlap, "mayOverlap with " + b.toFlow() + " (exact answer " + overlap + ")", a, null);
        if (selected.isEmpty()) {
            return;
        }
        Set<String> required = new TreeSet<>(KEYS);
        selected.forEach(m -> required.retainAll(m.keySet()));
        check(Selectors.requiredKeys(a).equals(required), "requiredKeys (exact " + required + ")", a, null);
        for (String key : KEYS) {
            Optional<Set<String>> exact = selected.stream().allMatch(m -> m.containsKey(key) && !UNLISTED.equals(m.get(key)))
                    ? Optional.of(Set.copyOf(selected.stream().map(m -> m.get(key)).toList())) : Optional.empty();
            check(Selectors.requiredValues(a, key).equals(exact), "requiredValues(" + key + ") (exact " + exact + ")", a, null);
        }
    }

    /** The reference: apimachinery's semantics, requirement by requirement. */
    private static boolean matches(LabelSelector s, Map<String, String> labels) {
        List<Requirement> requirements = new ArrayList<>();
        s.matchLabels().forEach((k, v) -> requirements.add(new Requirement(k, Operator.IN, List.of(v))));
        requirements.addAll(s.matchExpressions());
        for (Requirement r : requirements) {
            boolean has = labels.containsKey(r.key());
            boolean listed = has && r.values().contains(labels.get(r.key()));
            boolean holds = switch (r.operator()) {
                case IN -> listed;
                case NOT_IN -> !listed;
                case EXISTS -> has;
                case DOES_NOT_EXIST -> !has;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static LabelSelector selector(FuzzedDataProvider data) {
        TreeMap<String, String> labels = new TreeMap<>();
        int n = data.consumeInt(0, 2);
        for (int i = 0; i < n; i++) {
            labels.put(data.pickValue(KEYS), data.pickValue(VALUES));
        }
        List<Requirement> expressions = new ArrayList<>();
        int m = data.consumeInt(0, 3);
        for (int i = 0; i < m; i++) {
            Operator op = data.pickValue(Operator.values());
            List<String> values = new ArrayList<>();
            if (op.takesValues()) {
                int k = data.consumeInt(0, 3); // 0: In []/NotIn [] never pass validation, but reach admission
                for (int j = 0; j < k; j++) {
                    values.add(data.pickValue(VALUES));
                }
            }
            expressions.add(new Requirement(data.pickValue(KEYS), op, values));
        }
        return new LabelSelector(labels, expressions);
    }

    /** Every label map over KEYS: each key absent, one of VALUES, or UNLISTED. */
    private static List<Map<String, String>> universe() {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(Map.of());
        for (String key : KEYS) {
            List<Map<String, String>> next = new ArrayList<>(out);
            for (Map<String, String> m : out) {
                for (String v : concat(VALUES, UNLISTED)) {
                    Map<String, String> copy = new HashMap<>(m);
                    copy.put(key, v);
                    next.add(Map.copyOf(copy));
                }
            }
            out = next;
        }
        return List.copyOf(out);
    }

    private static List<String> concat(List<String> values, String extra) {
        List<String> out = new ArrayList<>(values);
        out.add(extra);
        return out;
    }

    private static void check(boolean ok, String what, LabelSelector s, Map<String, String> labels) {
        if (!ok) {
            throw new AssertionError(what + " disagrees with the reference for " + s.toFlow() + (labels == null ? "" : " on " + labels));
        }
    }
}
