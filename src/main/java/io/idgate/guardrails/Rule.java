package io.idgate.guardrails;

import java.util.List;
import java.util.Optional;

/**
 * One guardrail rule.
 *
 * @param name         unique across all guardrail ConfigMaps; a DNS label
 * @param description  free text, may be empty
 * @param action       deny (default), warn or audit
 * @param match        which policies it applies to
 * @param requirements what it checks: at least one, in {@link Requirement#KINDS} order
 * @param source       the ConfigMap and key it came from
 * @param line         line of the rule in {@code source}
 */
public record Rule(String name, String description, Action action, Match match, List<Requirement> requirements, Source source, int line) {

    public Rule {
        requirements = List.copyOf(requirements);
    }

    /** {@code <name> (<configmap namespace>/<configmap name>)}: how violation lines name the rule. */
    public String label() {
        return name + " (" + source.configMap() + ")";
    }

    /** The first requirement of {@code type}, if the rule has one. */
    public <T extends Requirement> Optional<T> find(Class<T> type) {
        return requirements.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** True when the rule has a requirement of {@code type}. */
    public boolean has(Class<? extends Requirement> type) {
        return requirements.stream().anyMatch(type::isInstance);
    }
}
