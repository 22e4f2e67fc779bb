package io.idgate.netpol;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of a rule's {@code from}/{@code to}, with the absent/empty rules of the API turned into code
 * (NetworkPolicyPeer reference): {@code podSelector} alone selects pods of the policy's own namespace;
 * {@code namespaceSelector} alone selects every pod of the selected namespaces ({@code {}}: every
 * namespace); both in one peer select pods matching both (AND); {@code ipBlock} selects addresses and
 * never combines with selectors.
 *
 * @param namespaceSelector null = the policy's own namespace (when {@code podSelector} is set)
 * @param podSelector       null = every pod of the selected namespaces
 * @param ipBlock           non-null for an ipBlock peer (then both selectors are null)
 * @param policyNamespace   the namespace of the policy holding this peer
 */
public record Peer(LabelSelector namespaceSelector, LabelSelector podSelector, IpBlock ipBlock, String policyNamespace) {

    /** The namespace label the API server sets on every namespace; namespace owners cannot change it. */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    public boolean isIpBlock() {
        return ipBlock != null;
    }

    /**
     * True when this peer selects a pod in {@code namespace} (labels {@code namespaceLabels}) with
     * {@code podLabels} and addresses {@code podIps} (empty when unknown). An ipBlock selects a pod only
     * through an address inside it.
     */
    public boolean matchesPod(String namespace, Map<String, String> namespaceLabels, Map<String, String> podLabels, List<Cidr> podIps) {
        if (ipBlock != null) {
            return podIps.stream().anyMatch(ipBlock::containsAddress);
        }
        return matchesNamespace(namespace, namespaceLabels) && (podSelector == null || Selectors.matches(podSelector, podLabels));
    }

    /** True when the peer's namespace part admits {@code namespace}; false for ipBlocks. */
    public boolean matchesNamespace(String namespace, Map<String, String> namespaceLabels) {
        if (ipBlock != null) {
            return false;
        }
        return namespaceSelector == null ? namespace.equals(policyNamespace) : Selectors.matches(namespaceSelector, namespaceLabels);
    }

    /**
     * The peer from a validated manifest peer. Caller has checked it (see {@link NetworkPolicyProblems});
     * an unparsable CIDR here is a programming error.
     */
    public static Peer of(NetworkPolicyPeer peer, String policyNamespace) {
        if (peer.getIpBlock() != null) {
            List<Cidr> except = new ArrayList<>();
            if (peer.getIpBlock().getExcept() != null) {
                peer.getIpBlock().getExcept().forEach(e -> except.add(Cidr.parse(e)));
            }
            return new Peer(null, null, new IpBlock(Cidr.parse(peer.getIpBlock().getCidr()), except), policyNamespace);
        }
        return new Peer(LabelSelector.fromModel(peer.getNamespaceSelector()), LabelSelector.fromModel(peer.getPodSelector()), null, policyNamespace);
    }
}
