package io.idgate.guardrails;

/**
 * One guardrail rule.
 *
 * @param name        unique across all guardrail ConfigMaps; a DNS label
 * @param description free text, may be empty
 * @param action      deny (default), warn or audit
 * @param match       which policies it applies to
 * @param require     what it checks
 * @param source      the ConfigMap and key it came from
 * @param line        line of the rule in {@code source}
 */
public record Rule(String name, String description, Action action, Match match, Requirements require, Source source, int line) {

    /** {@code <name> (<configmap namespace>/<configmap name>)}: how violation lines name the rule. */
    public String label() {
        return name + " (" + source.configMap() + ")";
    }
}
