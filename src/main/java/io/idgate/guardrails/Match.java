package io.idgate.guardrails;

import io.idgate.netpol.LabelSelector;
import java.util.List;

/**
 * {@code rules[].match}: which NetworkPolicies a rule applies to.
 *
 * @param namespaces        namespace globs; an omitted field is {@code ["*"]}
 * @param excludeNamespaces namespace globs that win over {@code namespaces}
 * @param podSelector       the protected pods; an omitted field is {@link LabelSelector#ALL}
 */
public record Match(List<String> namespaces, List<String> excludeNamespaces, LabelSelector podSelector) {

    /** Every namespace, every pod. */
    public static final Match ALL = new Match(List.of("*"), List.of(), LabelSelector.ALL);

    public Match {
        namespaces = List.copyOf(namespaces);
        excludeNamespaces = List.copyOf(excludeNamespaces);
        podSelector = podSelector == null ? LabelSelector.ALL : podSelector;
    }

    /** True when {@code namespace} matches a {@code namespaces} glob and no {@code excludeNamespaces} glob. */
    public boolean matchesNamespace(String namespace) {
        return namespaces.stream().anyMatch(g -> Globs.matches(g, namespace))
                && excludeNamespaces.stream().noneMatch(g -> Globs.matches(g, namespace));
    }
}
