package io.idgate.netpol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.idgate.netpol.LabelSelector.Operator;
import io.idgate.netpol.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SelectorsTest {

    /** Selector shorthand: "k=v" matchLabels, "k in a|b", "k notin a|b", "k exists", "!k". */
    static LabelSelector sel(String... parts) {
        TreeMap<String, String> labels = new TreeMap<>();
        List<Requirement> exprs = new ArrayList<>();
        for (String p : parts) {
            String[] w = p.split(" ");
            if (p.startsWith("!")) {
                exprs.add(new Requirement(p.substring(1), Operator.DOES_NOT_EXIST, List.of()));
            } else if (w.length == 1) {
                labels.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
            } else if (w[1].equals("exists")) {
                exprs.add(new Requirement(w[0], Operator.EXISTS, List.of()));
            } else {
                exprs.add(new Requirement(w[0], w[1].equals("in") ? Operator.IN : Operator.NOT_IN,
                        w.length > 2 ? List.of(w[2].split("\\|")) : List.of()));
            }
        }
        return new LabelSelector(labels, exprs);
    }

    record MatchCase(String name, LabelSelector selector, Map<String, String> labels, boolean matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<MatchCase> matchCases() {
        return Stream.of(
                new MatchCase("the empty selector matches a pod without labels", LabelSelector.ALL, Map.of(), true),
                new MatchCase("an absent selector matches nothing", null, Map.of("a", "b"), false),
                new MatchCase("matchLabels needs the exact value", sel("tier=pci"), Map.of("tier", "pci"), true),
                new MatchCase("matchLabels fails on another value", sel("tier=pci"), Map.of("tier", "web"), false),
                new MatchCase("matchLabels fails on a missing key", sel("tier=pci"), Map.of(), false),
                new MatchCase("In matches a listed value", sel("tier in pci|card"), Map.of("tier", "card"), true),
                new MatchCase("In fails on a missing key", sel("tier in pci"), Map.of(), false),
                new MatchCase("NotIn matches a missing key", sel("tier notin pci"), Map.of(), true),
                new MatchCase("NotIn fails on a listed value", sel("tier notin pci"), Map.of("tier", "pci"), false),
                new MatchCase("Exists matches any value", sel("tier exists"), Map.of("tier", ""), true),
                new MatchCase("DoesNotExist fails when the key is there", sel("!tier"), Map.of("tier", "x"), false),
                new MatchCase("all requirements must hold", sel("app=web", "tier exists"), Map.of("app", "web"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchCases")
    void matches(MatchCase c) {
        assertEquals(c.matches(), Selectors.matches(c.selector(), c.labels()));
    }

    record OverlapCase(String name, LabelSelector a, LabelSelector b, boolean mayOverlap) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<OverlapCase> overlapCases() {
        return Stream.of(
                new OverlapCase("In pci and tier web are disjoint", sel("tier in pci"), sel("tier=web"), false),
                new OverlapCase("Exists and DoesNotExist of one key are disjoint", sel("tier exists"), sel("!tier"), false),
                new OverlapCase("a value and NotIn that value are disjoint", sel("tier=pci"), sel("tier notin pci|x"), false),
                new OverlapCase("two different values of one key are disjoint", sel("tier=pci"), sel("tier=web"), false),
                new OverlapCase("In sets without common value are disjoint", sel("tier in a|b"), sel("tier in c"), false),
                new OverlapCase("a label and DoesNotExist of its key are disjoint", sel("tier=pci"), sel("!tier"), false),
                new OverlapCase("In sets sharing a value may overlap", sel("tier in a|b"), sel("tier in b|c"), true),
                new OverlapCase("In and NotIn leaving a value may overlap", sel("tier in a|b"), sel("tier notin a"), true),
                new OverlapCase("In fully excluded by NotIn is disjoint", sel("tier in a|b"), sel("tier notin a|b"), false),
                new OverlapCase("selectors on different keys may overlap", sel("tier=pci"), sel("app=web"), true),
                new OverlapCase("the empty selector overlaps everything satisfiable", LabelSelector.ALL, sel("tier=pci"), true),
                new OverlapCase("NotIn and DoesNotExist may overlap (key absent)", sel("tier notin pci"), sel("!tier"), true),
                new OverlapCase("Exists and a value may overlap", sel("tier exists"), sel("tier=web"), true),
                new OverlapCase("a selector that selects nothing overlaps nothing", sel("tier=a", "tier in b"), LabelSelector.ALL, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlapCases")
    void mayOverlap(OverlapCase c) {
        assertEquals(c.mayOverlap(), Selectors.mayOverlap(c.a(), c.b()));
        assertEquals(c.mayOverlap(), Selectors.mayOverlap(c.b(), c.a()), "overlap is symmetric");
    }

    record RequiredCase(String name, LabelSelector selector, String key, Optional<Set<String>> values) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RequiredCase> requiredCases() {
        return Stream.of(
                new RequiredCase("a matchLabels entry requires its value", sel("sa=web"), "sa", Optional.of(Set.of("web"))),
                new RequiredCase("In requires one of its values", sel("sa in a|b"), "sa", Optional.of(Set.of("a", "b"))),
                new RequiredCase("In minus NotIn is what is required", sel("sa in a|b", "sa notin b"), "sa", Optional.of(Set.of("a"))),
                new RequiredCase("Exists requires no particular value", sel("sa exists"), "sa", Optional.empty()),
                new RequiredCase("NotIn allows the key to be absent", sel("sa notin a"), "sa", Optional.empty()),
                new RequiredCase("another key requires nothing of this one", sel("app=web"), "sa", Optional.empty()),
                new RequiredCase("the empty selector requires nothing", LabelSelector.ALL, "sa", Optional.empty()),
                new RequiredCase("a selector of nothing requires anything (vacuously)", sel("x=a", "x in b"), "sa", Optional.of(Set.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredCases")
    void requiredValues(RequiredCase c) {
        assertEquals(c.values(), Selectors.requiredValues(c.selector(), c.key()));
    }

    @Test
    void requiresAndRequiredKeysFollowRequiredValues() {
        assertEquals(true, Selectors.requires(sel("groups.idgate.io/payments=true"), "groups.idgate.io/payments", "true"));
        assertFalse(Selectors.requires(sel("sa in a|b"), "sa", "a"));
        assertEquals(true, Selectors.requiresValueIn(sel("sa in a|b"), "sa", Set.of("a", "b", "c")));
        assertEquals(Set.of("a", "b", "c"), Selectors.requiredKeys(sel("a=1", "b in x", "c exists", "d notin y", "!e")));
    }

    @Test
    void aModelSelectorWithNullMatchLabelsIsEmptyAndAnAbsentOneIsNull() {
        io.fabric8.kubernetes.api.model.LabelSelector model = new io.fabric8.kubernetes.api.model.LabelSelector();
        assertEquals(LabelSelector.ALL, LabelSelector.fromModel(model));
        assertEquals(null, LabelSelector.fromModel(null));
    }

    @Test
    void aSelectorPrintsAsFlowYamlQuotingValuesYamlWouldRetype() {
        assertEquals("{matchLabels: {a: web, b: \"true\", c: \"8080\"}, matchExpressions: [{key: d, operator: In, values: [x, y]}]}",
                new LabelSelector(new TreeMap<>(Map.of("a", "web", "b", "true", "c", "8080")),
                        List.of(new Requirement("d", Operator.IN, List.of("x", "y")))).toFlow());
    }
}
