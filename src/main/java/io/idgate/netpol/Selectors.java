package io.idgate.netpol;

import io.idgate.netpol.LabelSelector.Requirement;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Label-selector semantics: matching, satisfiability, overlap, and what a selector requires of a key.
 *
 * <p><b>Null vs empty.</b> Every method here takes a {@link LabelSelector} that is present. The empty
 * selector {@code {}} ({@link LabelSelector#ALL}) selects everything. An absent selector has a meaning
 * that depends on the field, which the caller must translate first: in a NetworkPolicy,
 * {@code spec.podSelector: {}} selects every pod of the namespace; in a peer, an absent
 * {@code namespaceSelector} means "the policy's own namespace" and an absent {@code podSelector} means
 * "every pod of the selected namespaces"; an omitted guardrail {@code match.podSelector} means all pods.
 * Only {@link #matches} accepts null, where it selects nothing (apimachinery
 * {@code LabelSelectorAsSelector(nil)}).
 *
 * <p><b>Reasoning per key.</b> All requirements of a selector are ANDed and each names one key, so the
 * set of label maps a selector selects is a product over keys. For each key we keep: must it be present,
 * must it be absent, the finite set of values it may take (if restricted) and the values it must not
 * take. That makes satisfiability, overlap and "requires K in S" exact, not heuristics.
 */
public final class Selectors {

    private Selectors() {}

    /** True when {@code selector} selects an object with {@code labels} (null labels = none). Null selector: false. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
            if (!e.getValue().equals(l.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : selector.matchExpressions()) {
            String v = l.get(r.key());
            boolean ok = switch (r.operator()) {
                case IN -> v != null && r.values().contains(v);
                case NOT_IN -> v == null || !r.values().contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** True when some label map satisfies {@code selector} (false e.g. for {@code tier: a} with {@code tier In [b]}). */
    public static boolean isSatisfiable(LabelSelector selector) {
        return constraints(selector, null).values().stream().allMatch(KeyDomain::satisfiable);
    }

    /**
     * False only when no label map can satisfy both selectors (provably disjoint), true otherwise. Examples
     * of disjoint pairs: {@code tier In [pci]} vs {@code tier: web}; {@code Exists k} vs
     * {@code DoesNotExist k}; {@code k: a} vs {@code k NotIn [a]}.
     */
    public static boolean mayOverlap(LabelSelector a, LabelSelector b) {
        return constraints(a, b).values().stream().allMatch(KeyDomain::satisfiable);
    }

    /**
     * The finite set of values {@code key} must take on every object the selector selects, or empty when
     * the selector lets {@code key} be absent or take values outside a finite set. An unsatisfiable
     * selector selects nothing, and its answer is the empty set (every statement about its objects holds).
     */
    public static Optional<Set<String>> requiredValues(LabelSelector selector, String key) {
        Map<String, KeyDomain> domains = constraints(selector, null);
        if (!domains.values().stream().allMatch(KeyDomain::satisfiable)) {
            return Optional.of(Set.of());
        }
        KeyDomain d = domains.get(key);
        if (d == null || !d.mustExist || d.in == null) {
            return Optional.empty();
        }
        Set<String> values = new TreeSet<>(d.in);
        values.removeAll(d.notIn);
        return Optional.of(Set.copyOf(values));
    }

    /** True when every object the selector selects has label {@code key} = {@code value}. */
    public static boolean requires(LabelSelector selector, String key, String value) {
        return requiresValueIn(selector, key, Set.of(value));
    }

    /** True when every object the selector selects has label {@code key} with a value in {@code allowed}. */
    public static boolean requiresValueIn(LabelSelector selector, String key, Set<String> allowed) {
        return requiredValues(selector, key).map(allowed::containsAll).orElse(false);
    }

    /** Keys every selected object must carry (matchLabels keys, In and Exists keys), sorted. */
    public static Set<String> requiredKeys(LabelSelector selector) {
        Set<String> keys = new TreeSet<>();
        constraints(selector, null).forEach((k, d) -> {
            if (d.mustExist) {
                keys.add(k);
            }
        });
        return keys;
    }

    /** Every key a selector mentions, in matchLabels or matchExpressions, sorted. */
    public static Set<String> mentionedKeys(LabelSelector selector) {
        Set<String> keys = new TreeSet<>(selector.matchLabels().keySet());
        selector.matchExpressions().forEach(r -> keys.add(r.key()));
        return keys;
    }

    private static Map<String, KeyDomain> constraints(LabelSelector a, LabelSelector b) {
        Map<String, KeyDomain> domains = new TreeMap<>();
        add(domains, a);
        if (b != null) {
            add(domains, b);
        }
        return domains;
    }

    private static void add(Map<String, KeyDomain> domains, LabelSelector s) {
        if (s == null) {
            throw new IllegalArgumentException("selector must be present; translate an absent selector first");
        }
        s.matchLabels().forEach((k, v) -> domains.computeIfAbsent(k, x -> new KeyDomain()).restrictTo(Set.of(v)));
        for (Requirement r : s.matchExpressions()) {
            KeyDomain d = domains.computeIfAbsent(r.key(), x -> new KeyDomain());
            switch (r.operator()) {
                case IN -> d.restrictTo(new HashSet<>(r.values()));
                case NOT_IN -> d.notIn.addAll(r.values());
                case EXISTS -> d.mustExist = true;
                case DOES_NOT_EXIST -> d.mustNotExist = true;
            }
        }
    }

    /** What the ANDed requirements say about one key. */
    private static final class KeyDomain {
        boolean mustExist;
        boolean mustNotExist;
        Set<String> in; // null = any value
        final Set<String> notIn = new HashSet<>();

        void restrictTo(Set<String> values) {
            mustExist = true;
            if (in == null) {
                in = new HashSet<>(values);
            } else {
                in.retainAll(values);
            }
        }

        boolean satisfiable() {
            if (!mustExist) {
                return true; // absent satisfies NotIn and DoesNotExist
            }
            if (mustNotExist) {
                return false;
            }
            // present with some value: infinitely many candidates unless restricted to a finite set
            return in == null || !notIn.containsAll(in);
        }
    }
}
