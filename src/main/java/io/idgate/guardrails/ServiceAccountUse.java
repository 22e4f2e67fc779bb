package io.idgate.guardrails;

import java.util.List;

/**
 * {@code serviceAccountUse:} (design section 9): in these namespaces, whoever creates a pod (or a
 * workload that makes pods) must be allowed to {@code use} the ServiceAccount it names.
 *
 * @param namespaces       namespace globs where the check applies
 * @param exemptRequesters username globs that pass without a review (controllers, whose workloads were checked)
 * @param source           the document that defines it
 * @param line             its line there
 */
public record ServiceAccountUse(List<String> namespaces, List<String> exemptRequesters, Source source, int line) {

    /** Default exemption: the built-in controllers act for workloads whose creators were already checked. */
    public static final List<String> BUILT_IN_CONTROLLERS = List.of("system:serviceaccount:kube-system:*");

    public ServiceAccountUse {
        namespaces = List.copyOf(namespaces);
        exemptRequesters = List.copyOf(exemptRequesters);
    }

    /** True when the check applies in {@code namespace}. */
    public boolean covers(String namespace) {
        return namespaces.stream().anyMatch(g -> Globs.matches(g, namespace));
    }

    /** True when {@code username} passes without a review. */
    public boolean exempts(String username) {
        return exemptRequesters.stream().anyMatch(g -> Globs.matches(g, username));
    }
}
