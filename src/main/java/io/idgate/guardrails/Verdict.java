package io.idgate.guardrails;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a list of violations means for an admission: the refusal lines of deny rules, the warnings of
 * warn rules, and the audit notes of audit rules (one per rule). The webhook and the CLI both read
 * violations through this, so they agree on what refuses.
 */
public record Verdict(List<String> denials, List<String> warnings, Map<String, String> audits) {

    public Verdict {
        denials = List.copyOf(denials);
        warnings = List.copyOf(warnings);
        audits = Map.copyOf(audits);
    }

    public static Verdict of(List<Violation> violations) {
        List<String> denials = violations.stream().filter(v -> v.action() == Action.DENY).map(Violation::line).toList();
        List<String> warnings = violations.stream().filter(v -> v.action() == Action.WARN).map(Violation::line).toList();
        Map<String, String> audits = violations.stream().filter(v -> v.action() == Action.AUDIT)
                .collect(Collectors.groupingBy(Violation::rule, TreeMap::new, Collectors.mapping(Violation::line, Collectors.joining("\n"))));
        return new Verdict(denials, warnings, audits);
    }

    public boolean denied() {
        return !denials.isEmpty();
    }
}
