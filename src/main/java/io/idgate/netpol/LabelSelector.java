package io.idgate.netpol;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector: {@code matchLabels} and {@code matchExpressions}, all of which must
 * hold (AND). The empty selector {@code {}} selects everything. Absence of a selector (Java
 * {@code null}) is a different thing whose meaning depends on the field; see {@link Selectors}.
 *
 * @param matchLabels      key = value requirements, sorted by key
 * @param matchExpressions In / NotIn / Exists / DoesNotExist requirements, in the order written
 */
public record LabelSelector(SortedMap<String, String> matchLabels, List<Requirement> matchExpressions) {

    /** The empty selector {@code {}}: selects every object. */
    public static final LabelSelector ALL = new LabelSelector(new TreeMap<>(), List.of());

    public LabelSelector {
        matchLabels = Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels == null ? Map.of() : matchLabels));
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    /** A selector with only {@code matchLabels}. */
    public static LabelSelector of(Map<String, String> matchLabels) {
        return new LabelSelector(new TreeMap<>(matchLabels), List.of());
    }

    /** True for {@code {}}: no requirement at all, selects everything. */
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** The operators of {@code matchExpressions}. */
    public enum Operator {
        IN("In"),
        NOT_IN("NotIn"),
        EXISTS("Exists"),
        DOES_NOT_EXIST("DoesNotExist");

        private final String wire;

        Operator(String wire) {
            this.wire = wire;
        }

        /** The spelling in manifests: {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}. */
        public String wire() {
            return wire;
        }

        /** True for In and NotIn, which need a non-empty {@code values}; the others must have none. */
        public boolean takesValues() {
            return this == IN || this == NOT_IN;
        }

        /** The operator spelled exactly {@code text}, else empty. */
        public static Optional<Operator> fromWire(String text) {
            for (Operator o : values()) {
                if (o.wire.equals(text)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }
    }

    /** One {@code matchExpressions} entry. {@code values} is empty for Exists and DoesNotExist. */
    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /**
     * The selector of a fabric8 model selector, or null when {@code selector} is null (absent).
     *
     * <p>Leniency, for objects the API server already validated: a null {@code matchLabels} map (YAML
     * {@code matchLabels:} with nothing under it) is empty, a null label value is {@code ""} (what the
     * API server decodes it to), null {@code values} are empty. An expression with an operator this
     * code does not know is dropped, which makes the selector <em>broader</em>: guardrail checks stay
     * conservative (a broader selector may overlap more and pins less).
     */
    public static LabelSelector fromModel(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) {
            return null;
        }
        TreeMap<String, String> labels = new TreeMap<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> labels.put(k, v == null ? "" : v));
        }
        List<Requirement> expressions = new ArrayList<>();
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (r == null || r.getKey() == null) {
                    continue;
                }
                Optional<Operator> op = Operator.fromWire(r.getOperator());
                if (op.isPresent()) {
                    List<String> values = r.getValues() == null ? List.of()
                            : r.getValues().stream().map(v -> v == null ? "" : v).toList();
                    expressions.add(new Requirement(r.getKey(), op.get(), values));
                }
            }
        }
        return new LabelSelector(labels, expressions);
    }

    /** Flow-style YAML for messages, e.g. {@code {matchLabels: {app: web}}} or {@code {}}. */
    public String toFlow() {
        List<String> parts = new ArrayList<>();
        if (!matchLabels.isEmpty()) {
            parts.add("matchLabels: " + flowLabels(matchLabels));
        }
        if (!matchExpressions.isEmpty()) {
            List<String> exprs = new ArrayList<>();
            for (Requirement r : matchExpressions) {
                exprs.add("{key: " + r.key() + ", operator: " + r.operator().wire()
                        + (r.values().isEmpty() ? "" : ", values: [" + String.join(", ", r.values()) + "]") + "}");
            }
            parts.add("matchExpressions: [" + String.join(", ", exprs) + "]");
        }
        return "{" + String.join(", ", parts) + "}";
    }

    /** {@code {a: b, c: "true"}}: values that YAML would read as something other than a string are quoted. */
    public static String flowLabels(Map<String, String> labels) {
        List<String> entries = new ArrayList<>();
        labels.forEach((k, v) -> entries.add(k + ": " + yamlString(v)));
        return "{" + String.join(", ", entries) + "}";
    }

    /** Plain scalars YAML reads as booleans, null or numbers. Compiled once: violation messages use it per request. */
    private static final Pattern NOT_A_STRING_IN_YAML = Pattern.compile("(?i)true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.]*(e[-+]?[0-9]+)?");

    public static String yamlString(String v) {
        boolean plain = !v.isEmpty() && v.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')
                && !NOT_A_STRING_IN_YAML.matcher(v).matches();
        return plain ? v : "\"" + v + "\"";
    }

    @Override
    public String toString() {
        return toFlow();
    }
}
