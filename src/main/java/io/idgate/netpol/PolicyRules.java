package io.idgate.netpol;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;

/**
 * What one NetworkPolicy means: the pods it selects, the directions it isolates, and its rules.
 *
 * <p>Implied {@code policyTypes} (API server defaulting, {@code SetDefaults_NetworkPolicy}): when
 * {@code policyTypes} is empty it is {@code [Ingress]}, plus {@code Egress} when {@code egress} has at
 * least one rule. So {@code egress: []} without {@code policyTypes} does <em>not</em> isolate egress,
 * while {@code ingress: []} (like an absent {@code ingress}) isolates ingress.
 *
 * @param namespace   the policy's namespace ({@code default} when the manifest gives none)
 * @param name        the policy's name
 * @param podSelector the pods it applies to, in its namespace ({@code {}} = all)
 * @param ingress     whether it isolates ingress (policyTypes after defaulting)
 * @param egress      whether it isolates egress
 * @param ingressRules rules of {@code spec.ingress}
 * @param egressRules  rules of {@code spec.egress}
 */
public record PolicyRules(String namespace, String name, LabelSelector podSelector, boolean ingress, boolean egress,
                          List<PolicyRule> ingressRules, List<PolicyRule> egressRules) {

    public PolicyRules {
        ingressRules = List.copyOf(ingressRules);
        egressRules = List.copyOf(egressRules);
    }

    public boolean isolates(Direction d) {
        return d == Direction.INGRESS ? ingress : egress;
    }

    public List<PolicyRule> rules(Direction d) {
        return d == Direction.INGRESS ? ingressRules : egressRules;
    }

    /** {@code ns/name}, for messages and explanations. */
    public String id() {
        return namespace + "/" + name;
    }

    /** True when the policy applies to a pod in {@code podNamespace} with {@code podLabels}. */
    public boolean selects(String podNamespace, java.util.Map<String, String> podLabels) {
        return namespace.equals(podNamespace) && Selectors.matches(podSelector, podLabels);
    }

    /** The meaning of a policy that {@link NetworkPolicyProblems#of} found no problem in. */
    public static PolicyRules of(NetworkPolicy np) {
        String ns = np.getMetadata() == null || np.getMetadata().getNamespace() == null || np.getMetadata().getNamespace().isEmpty()
                ? "default" : np.getMetadata().getNamespace();
        String name = np.getMetadata() == null ? "" : np.getMetadata().getName();
        var spec = np.getSpec();
        LabelSelector selector = spec == null || spec.getPodSelector() == null ? LabelSelector.ALL : LabelSelector.fromModel(spec.getPodSelector());
        List<PolicyRule> in = new ArrayList<>();
        List<PolicyRule> out = new ArrayList<>();
        List<String> types = spec == null || spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
        if (spec != null && spec.getIngress() != null) {
            for (NetworkPolicyIngressRule r : spec.getIngress()) {
                in.add(rule(in.size(), r == null ? null : r.getFrom(), r == null ? null : r.getPorts(), ns));
            }
        }
        if (spec != null && spec.getEgress() != null) {
            for (NetworkPolicyEgressRule r : spec.getEgress()) {
                out.add(rule(out.size(), r == null ? null : r.getTo(), r == null ? null : r.getPorts(), ns));
            }
        }
        boolean ingress;
        boolean egress;
        if (types.isEmpty()) {
            ingress = true;
            egress = !out.isEmpty();
        } else {
            ingress = types.contains("Ingress");
            egress = types.contains("Egress");
        }
        return new PolicyRules(ns, name, selector, ingress, egress, in, out);
    }

    private static PolicyRule rule(int index, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports, String ns) {
        List<Peer> ps = new ArrayList<>();
        if (peers != null) {
            peers.forEach(p -> ps.add(Peer.of(p, ns)));
        }
        List<PolicyPort> pp = new ArrayList<>();
        if (ports != null) {
            ports.forEach(p -> pp.add(PolicyPort.of(p)));
        }
        return new PolicyRule(index, ps, pp);
    }
}
