package io.idgate.guardrails;

import io.idgate.netpol.Cidr;
import io.idgate.netpol.Selectors;
import io.idgate.netpol.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates a NetworkPolicy admission against every guardrail rule in force (README "Guardrails: identity rules for NetworkPolicies").
 *
 * <p><b>Applicability.</b> A rule applies when the request namespace matches {@code match.namespaces}
 * and no {@code match.excludeNamespaces} glob, and the policy's {@code spec.podSelector} (absent =
 * {@code {}}, every pod) {@linkplain Selectors#mayOverlap may overlap} {@code match.podSelector}. The
 * checks of the policy's rules and peers look at the new object of CREATE and UPDATE; DELETE only
 * removes allowances, so it is checked for {@code defaultDeny} alone (against the old object).
 *
 * <p><b>Output.</b> Every violation of every applicable rule, whatever its action, sorted by
 * {@link Violation#ORDER} (rule, then field path, then problem). The caller splits them by
 * {@link Violation#action()}: deny lines go to the denial message, warn lines to {@code warnings},
 * audit lines to audit annotations. Each {@link Violation#line()} reads
 * {@code [<rule> (<configmap ns>/<configmap name>)] <field path>: <what is wrong>; <how to fix>}.
 *
 * <p><b>ipBlock {@code except}.</b> The {@code ipBlocks} check compares {@code ipBlock.cidr} only:
 * {@code except} carves holes into the block but does not move its outer bound, and proving that the
 * holes cover exactly the part outside the allowed CIDRs is set arithmetic nobody could read in a
 * message. Write the narrower CIDR instead.
 *
 * <p>Pure and stateless: no input is modified.
 */
public final class GuardrailEvaluator {

    private static final String DEFAULT_DENY_SHAPE = "podSelector {}, policyTypes [Ingress, Egress] and no ingress or egress rules";

    private GuardrailEvaluator() {}

    /** Traffic direction with its field names. */
    private enum Direction {
        INGRESS("ingress", "from", "source"),
        EGRESS("egress", "to", "destination");

        final String field;
        final String peers;
        final String noun;

        Direction(String field, String peers, String noun) {
            this.field = field;
            this.peers = peers;
            this.noun = noun;
        }
    }

    /**
     * All violations of {@code snapshot}'s rules by this admission.
     *
     * @param operation         CREATE, UPDATE or DELETE
     * @param newPolicy         the object being written; null on DELETE
     * @param oldPolicy         the object before; null on CREATE (null on UPDATE is tolerated: weakening
     *                          then cannot be seen)
     * @param namespace         the request namespace (not read from the object)
     * @param existingPolicies  the NetworkPolicies of {@code namespace} as stored now (may include the old
     *                          version of this policy, which is matched by name and ignored); null = none
     * @param snapshot          the guardrails in force
     * @param config            the label prefix and trust domain identity labels use
     * @throws IllegalArgumentException when an object the operation needs is missing
     */
    public static List<Violation> evaluate(
            Operation operation,
            NetworkPolicy newPolicy,
            NetworkPolicy oldPolicy,
            String namespace,
            List<NetworkPolicy> existingPolicies,
            GuardrailSnapshot snapshot,
            IdentityConfig config) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(config, "config");
        if (operation != Operation.DELETE && newPolicy == null) {
            throw new IllegalArgumentException(operation + " needs the new NetworkPolicy");
        }
        if (operation == Operation.DELETE && oldPolicy == null) {
            throw new IllegalArgumentException("DELETE needs the old NetworkPolicy");
        }
        List<NetworkPolicy> existing = existingPolicies == null ? List.of() : existingPolicies;
        List<Violation> out = new ArrayList<>();
        for (Rule rule : snapshot.rules()) {
            if (!rule.match().matchesNamespace(namespace)) {
                continue;
            }
            boolean newApplies = operation != Operation.DELETE && applies(rule, newPolicy);
            boolean oldApplies = oldPolicy != null && applies(rule, oldPolicy);
            Check check = new Check(rule, namespace, config, out);
            if (newApplies) {
                check.spec(newPolicy.getSpec());
            }
            if (rule.require().defaultDeny()) {
                check.defaultDeny(operation, newPolicy, oldPolicy, existing, newApplies, oldApplies);
            }
        }
        out.sort(Violation.ORDER);
        return List.copyOf(out);
    }

    /**
     * For a namespace as it stands (the audit): one violation per {@code defaultDeny} rule matching
     * {@code namespace} when none of {@code policies} (the namespace's NetworkPolicies) is a default
     * deny. Admission only sees this when another policy is created there; the audit finds namespaces
     * that never had one.
     */
    public static List<Violation> missingDefaultDeny(String namespace, List<NetworkPolicy> policies, GuardrailSnapshot snapshot) {
        if (policies.stream().anyMatch(GuardrailEvaluator::isDefaultDeny)) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        for (Rule rule : snapshot.rules()) {
            if (rule.require().defaultDeny() && rule.match().matchesNamespace(namespace)) {
                out.add(new Violation(rule.name(), rule.source().configMap(), rule.action(), "metadata.name",
                        "namespace " + namespace + " has no default-deny NetworkPolicy",
                        "create one (" + DEFAULT_DENY_SHAPE + "), then add policies that allow traffic"));
            }
        }
        out.sort(Violation.ORDER);
        return List.copyOf(out);
    }

    /**
     * True for a namespace-wide default-deny policy: {@code spec.podSelector} empty (or absent),
     * {@code policyTypes} containing both Ingress and Egress, and no ingress or egress rules.
     */
    public static boolean isDefaultDeny(NetworkPolicy policy) {
        return policy != null && weakness(policy.getSpec()) == null;
    }

    private static boolean applies(Rule rule, NetworkPolicy policy) {
        NetworkPolicySpec spec = policy.getSpec();
        LabelSelector selected = spec == null ? null : LabelSelector.fromModel(spec.getPodSelector());
        return Selectors.mayOverlap(selected == null ? LabelSelector.ALL : selected, rule.match().podSelector());
    }

    /** Null when {@code spec} is a default deny; else the field that keeps it from being one and why. */
    private static String[] weakness(NetworkPolicySpec spec) {
        if (spec == null) {
            return new String[] {"spec", "it has no spec"};
        }
        LabelSelector ps = LabelSelector.fromModel(spec.getPodSelector());
        if (ps != null && !ps.isEmpty()) {
            return new String[] {"spec.podSelector", "podSelector " + ps.toFlow() + " no longer covers every pod"};
        }
        List<String> types = spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
        if (!types.contains("Ingress") || !types.contains("Egress")) {
            return new String[] {"spec.policyTypes", "policyTypes " + types + " no longer denies both Ingress and Egress"};
        }
        if (spec.getIngress() != null && !spec.getIngress().isEmpty()) {
            return new String[] {"spec.ingress", "ingress rules now allow traffic in"};
        }
        if (spec.getEgress() != null && !spec.getEgress().isEmpty()) {
            return new String[] {"spec.egress", "egress rules now allow traffic out"};
        }
        return null;
    }

    private static String name(NetworkPolicy p) {
        return p == null || p.getMetadata() == null ? null : p.getMetadata().getName();
    }

    /** The checks of one rule, collecting into {@code out}. */
    private static final class Check {
        private final Rule rule;
        private final Requirements require;
        private final String namespace;
        private final IdentityConfig config;
        private final IdentityKeys keys;
        private final List<Violation> out;

        Check(Rule rule, String namespace, IdentityConfig config, List<Violation> out) {
            this.rule = rule;
            this.require = rule.require();
            this.namespace = namespace;
            this.config = config;
            this.keys = config.keys();
            this.out = out;
        }

        private void violation(String path, String problem, String fix) {
            out.add(new Violation(rule.name(), rule.source().configMap(), rule.action(), path, problem, fix));
        }

        void spec(NetworkPolicySpec spec) {
            if (spec == null) {
                return;
            }
            List<NetworkPolicyIngressRule> ingress = spec.getIngress() == null ? List.of() : spec.getIngress();
            for (int i = 0; i < ingress.size(); i++) {
                NetworkPolicyIngressRule r = ingress.get(i);
                trafficRule(Direction.INGRESS, "spec.ingress[" + i + "]", r == null ? null : r.getFrom(), r == null ? null : r.getPorts());
            }
            List<NetworkPolicyEgressRule> egress = spec.getEgress() == null ? List.of() : spec.getEgress();
            for (int i = 0; i < egress.size(); i++) {
                NetworkPolicyEgressRule r = egress.get(i);
                trafficRule(Direction.EGRESS, "spec.egress[" + i + "]", r == null ? null : r.getTo(), r == null ? null : r.getPorts());
            }
        }

        private void trafficRule(Direction dir, String path, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
            if (require.ports() && (ports == null || ports.isEmpty())) {
                violation(path + ".ports", "the rule allows every port",
                        "list only the ports the traffic needs, e.g. ports: [{protocol: TCP, port: 8443}]");
            }
            List<IdentityRef> refs = dir == Direction.INGRESS ? require.ingressFrom() : require.egressTo();
            IdentityPinning pinning = refs == null ? null : new IdentityPinning(refs, config);
            boolean noPeers = peers == null || peers.isEmpty();
            if (noPeers && require.noAllowAll()) {
                violation(path + "." + dir.peers, "missing, so the rule allows every " + dir.noun
                        + " (all pods of all namespaces and all addresses)", "list the allowed peers under " + dir.peers);
            }
            if (noPeers && pinning != null) {
                violation(path + "." + dir.peers, "missing, so every " + dir.noun + " is allowed, not only "
                        + pinning.refsText(), pinning.suggestion() + " under " + dir.peers);
            }
            for (int j = 0; peers != null && j < peers.size(); j++) {
                if (peers.get(j) != null) {
                    peer(dir, path + "." + dir.peers + "[" + j + "]", peers.get(j), pinning);
                }
            }
        }

        private void peer(Direction dir, String path, NetworkPolicyPeer peer, IdentityPinning pinning) {
            LabelSelector pods = LabelSelector.fromModel(peer.getPodSelector());
            LabelSelector namespaces = LabelSelector.fromModel(peer.getNamespaceSelector());
            IPBlock ipBlock = peer.getIpBlock();

            if (require.identityPeers() && pods != null && !pods.isEmpty()
                    && Selectors.requiredKeys(pods).stream().noneMatch(keys::isOwned)) {
                violation(path + ".podSelector", "selects pods by labels any pod author can set (" + pods.toFlow() + ")",
                        "select by identity instead, e.g. {matchLabels: {" + keys.serviceAccount() + ": <service account>}}"
                                + " or {matchLabels: {" + keys.group("<group>") + ": \"true\"}}");
            }
            if (require.noAllowAll() && ipBlock == null && namespaces != null && namespaces.isEmpty()
                    && (pods == null || pods.isEmpty())) {
                violation(path, "namespaceSelector {} with no pod restriction admits every pod of every namespace",
                        "add a podSelector that pins the peer to an identity, e.g. podSelector {matchLabels: {"
                                + keys.group("<group>") + ": \"true\"}}");
            }
            if (require.immutableNamespaceSelectors() && peer.getNamespaceSelector() != null) {
                immutableNamespaces(path + ".namespaceSelector", peer.getNamespaceSelector());
            }
            List<Cidr> allowed = dir == Direction.INGRESS ? require.ipBlocksIngress() : require.ipBlocksEgress();
            if (ipBlock != null && allowed != null) {
                ipBlock(dir, path + ".ipBlock.cidr", ipBlock, allowed);
            }
            // An ipBlock names addresses, not pods: when the rule lists allowed CIDRs for this direction,
            // those CIDRs are its whole answer for ipBlock peers; otherwise an ipBlock cannot satisfy the
            // identity list.
            boolean judgedByIpBlocks = ipBlock != null && allowed != null;
            if (pinning != null && !judgedByIpBlocks && !pinning.pinned(pods, namespaces, namespace)) {
                String problem;
                if (ipBlock != null) {
                    problem = "an ipBlock is not an identity; " + dir.field + " is limited to " + pinning.refsText();
                } else if (pods == null && namespaces == null) {
                    problem = "an empty peer is not pinned to an identity; " + dir.field + " is limited to " + pinning.refsText();
                } else {
                    problem = "the peer " + describe(pods, namespaces) + " can select pods whose identity is not one of " + pinning.refsText();
                }
                violation(path, problem, pinning.suggestion());
            }
        }

        private void immutableNamespaces(String path, io.fabric8.kubernetes.api.model.LabelSelector selector) {
            String fix = "select namespaces only by " + IdentityPinning.NAMESPACE_NAME
                    + " (set by the API server), e.g. {matchLabels: {" + IdentityPinning.NAMESPACE_NAME + ": <namespace>}}";
            Map<String, String> labels = selector.getMatchLabels();
            if (labels != null) {
                labels.keySet().stream().sorted().filter(k -> !IdentityPinning.NAMESPACE_NAME.equals(k)).forEach(k ->
                        violation(path + ".matchLabels[" + k + "]",
                                "selects namespaces by label " + k + ", which namespace owners can change", fix));
            }
            List<LabelSelectorRequirement> exprs = selector.getMatchExpressions();
            for (int k = 0; exprs != null && k < exprs.size(); k++) {
                LabelSelectorRequirement r = exprs.get(k);
                if (r != null && !IdentityPinning.NAMESPACE_NAME.equals(r.getKey())) {
                    violation(path + ".matchExpressions[" + k + "]",
                            "selects namespaces by label " + r.getKey() + ", which namespace owners can change", fix);
                }
            }
        }

        private void ipBlock(Direction dir, String path, IPBlock block, List<Cidr> allowed) {
            Cidr cidr;
            try {
                cidr = Cidr.parse(block.getCidr());
            } catch (IllegalArgumentException e) {
                violation(path, "\"" + block.getCidr() + "\" is not a valid CIDR", "write address/prefix such as 10.20.0.0/16");
                return;
            }
            if (allowed.isEmpty()) {
                violation(path, "ipBlock " + cidr.text() + " is not allowed: this rule allows no ipBlock for " + dir.field,
                        "select the peer by identity (a podSelector on " + keys.prefix() + " labels) instead of by address");
                return;
            }
            if (allowed.stream().noneMatch(a -> a.contains(cidr))) {
                String list = String.join(", ", allowed.stream().map(Cidr::text).toList());
                violation(path, cidr.text() + " is not inside an allowed CIDR (" + list + ")"
                                + (cidr.isWholeFamily() ? "; " + cidr.text() + " means every address and is allowed only when listed itself" : ""),
                        "use a CIDR inside " + list + " (an except list does not narrow the block for this check)");
            }
        }

        void defaultDeny(Operation op, NetworkPolicy newPolicy, NetworkPolicy oldPolicy, List<NetworkPolicy> existing,
                boolean newApplies, boolean oldApplies) {
            String self = name(op == Operation.DELETE ? oldPolicy : newPolicy);
            boolean another = existing.stream()
                    .filter(p -> self == null || !self.equals(name(p)))
                    .anyMatch(GuardrailEvaluator::isDefaultDeny);
            if (another) {
                return;
            }
            if (op == Operation.DELETE) {
                if (oldApplies && isDefaultDeny(oldPolicy)) {
                    violation("metadata.name", "deleting " + self + " removes the last default-deny NetworkPolicy of namespace "
                            + namespace, "create another default-deny policy (" + DEFAULT_DENY_SHAPE + ") before deleting this one");
                }
                return;
            }
            if (op == Operation.UPDATE && oldApplies && isDefaultDeny(oldPolicy)) {
                String[] weak = weakness(newPolicy.getSpec());
                if (weak != null) {
                    violation(weak[0], "this change weakens " + self + ", the last default-deny policy of namespace " + namespace
                            + ": " + weak[1], "keep " + DEFAULT_DENY_SHAPE + " here and put allowances in a separate policy");
                }
                return;
            }
            if (newApplies && !isDefaultDeny(newPolicy)) {
                violation("metadata.namespace", "namespace " + namespace + " has no default-deny NetworkPolicy",
                        "create one first (" + DEFAULT_DENY_SHAPE + "), then add policies that allow traffic");
            }
        }

        private static String describe(LabelSelector pods, LabelSelector namespaces) {
            List<String> parts = new ArrayList<>();
            if (pods != null) {
                parts.add("podSelector: " + pods.toFlow());
            }
            if (namespaces != null) {
                parts.add("namespaceSelector: " + namespaces.toFlow());
            }
            return "{" + String.join(", ", parts) + "}";
        }
    }
}
