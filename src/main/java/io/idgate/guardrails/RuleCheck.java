package io.idgate.guardrails;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityKeys;
import java.util.List;

/**
 * One rule checking one NetworkPolicy admission: what its requirements may look at, and where their
 * violations go (each named with the rule, its ConfigMap and its action).
 */
public final class RuleCheck {

    private final Rule rule;
    private final Operation operation;
    private final NetworkPolicy newPolicy;
    private final NetworkPolicy oldPolicy;
    private final String namespace;
    private final List<NetworkPolicy> existing;
    private final IdentityConfig config;
    private final boolean newApplies;
    private final boolean oldApplies;
    private final List<Violation> out;
    private String requirement = "";

    RuleCheck(Rule rule, Operation operation, NetworkPolicy newPolicy, NetworkPolicy oldPolicy, String namespace,
            List<NetworkPolicy> existing, IdentityConfig config, boolean newApplies, boolean oldApplies, List<Violation> out) {
        this.rule = rule;
        this.operation = operation;
        this.newPolicy = newPolicy;
        this.oldPolicy = oldPolicy;
        this.namespace = namespace;
        this.existing = existing;
        this.config = config;
        this.newApplies = newApplies;
        this.oldApplies = oldApplies;
        this.out = out;
    }

    /** The requirement about to check: its violations carry its key, so reports can tell requirements apart. */
    void checking(Requirement requirement) {
        this.requirement = requirement.field();
    }

    /** Reports a violation at {@code path} of the NetworkPolicy. */
    public void violation(String path, String problem, String fix) {
        out.add(new Violation(rule.name(), rule.source().configMap(), rule.action(), path, problem, fix, requirement));
    }

    public Rule rule() {
        return rule;
    }

    public Operation operation() {
        return operation;
    }

    /** The object being written; null on DELETE. */
    public NetworkPolicy newPolicy() {
        return newPolicy;
    }

    /** The object before; null on CREATE (and possibly on UPDATE). */
    public NetworkPolicy oldPolicy() {
        return oldPolicy;
    }

    /** The request namespace. */
    public String namespace() {
        return namespace;
    }

    /** The namespace's NetworkPolicies as stored now (may include the old version of this one). */
    public List<NetworkPolicy> existing() {
        return existing;
    }

    public IdentityConfig config() {
        return config;
    }

    public IdentityKeys keys() {
        return config.keys();
    }

    /** The rule applies to the new object (never on DELETE). */
    public boolean newApplies() {
        return newApplies;
    }

    /** The rule applies to the old object. */
    public boolean oldApplies() {
        return oldApplies;
    }
}
