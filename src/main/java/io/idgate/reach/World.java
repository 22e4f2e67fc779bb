package io.idgate.reach;

import io.idgate.netpol.PolicyRules;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything reachability depends on: namespaces with their labels, peers, the NetworkPolicies, and
 * the guardrail groups of each peer (given by the caller). Build one with {@link WorldBuilder}.
 *
 * @param namespaces namespace name → labels (always holding {@code kubernetes.io/metadata.name})
 * @param peers      sorted by {@link ReachPeer#id()}
 * @param policies   sorted by namespace/name
 * @param groups     peer id → guardrail groups it belongs to (missing = none)
 * @param warnings   things the caller should tell the user (hostNetwork, IPv6 blocks, skipped objects)
 */
public record World(SortedMap<String, SortedMap<String, String>> namespaces, List<ReachPeer> peers, List<PolicyRules> policies,
                    Map<String, Set<String>> groups, List<String> warnings) {

    public World {
        namespaces = Collections.unmodifiableSortedMap(new TreeMap<>(namespaces));
        peers = List.copyOf(peers);
        policies = List.copyOf(policies);
        groups = Map.copyOf(groups);
        warnings = List.copyOf(warnings);
    }

    /** Labels of {@code namespace}; a namespace nobody declared carries its name label only. */
    public Map<String, String> namespaceLabels(String namespace) {
        SortedMap<String, String> l = namespaces.get(namespace);
        return l != null ? l : Map.of(WorldBuilder.NAMESPACE_NAME, namespace);
    }

    /** A world with {@code policies} instead of this one's (same peers, namespaces, groups). */
    public World withPolicies(List<PolicyRules> newPolicies) {
        return new World(namespaces, peers, newPolicies.stream()
                .sorted(java.util.Comparator.comparing(PolicyRules::namespace).thenComparing(PolicyRules::name)).toList(), groups, warnings);
    }
}
