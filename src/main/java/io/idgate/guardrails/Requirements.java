package io.idgate.guardrails;

import io.idgate.netpol.Cidr;
import java.util.List;

/**
 * {@code rules[].require}: the checks a rule makes. A null list means "not required"; an empty list
 * means "nothing is allowed" (no peer identity, no ipBlock).
 *
 * @param identityPeers               pod peers must select by identity keys
 * @param ingressFrom                 identities ingress peers must be pinned to, or null
 * @param egressTo                    identities egress peers must be pinned to, or null
 * @param ipBlocksIngress             CIDRs ingress ipBlocks must lie inside, or null
 * @param ipBlocksEgress              CIDRs egress ipBlocks must lie inside, or null
 * @param noAllowAll                  no rule without from/to, no bare {@code namespaceSelector: {}} peer
 * @param ports                       every rule lists ports
 * @param defaultDeny                 matched namespaces keep a default-deny policy
 * @param immutableNamespaceSelectors namespaceSelectors use only {@code kubernetes.io/metadata.name}
 */
public record Requirements(
        boolean identityPeers,
        List<IdentityRef> ingressFrom,
        List<IdentityRef> egressTo,
        List<Cidr> ipBlocksIngress,
        List<Cidr> ipBlocksEgress,
        boolean noAllowAll,
        boolean ports,
        boolean defaultDeny,
        boolean immutableNamespaceSelectors) {

    public Requirements {
        ingressFrom = ingressFrom == null ? null : List.copyOf(ingressFrom);
        egressTo = egressTo == null ? null : List.copyOf(egressTo);
        ipBlocksIngress = ipBlocksIngress == null ? null : List.copyOf(ipBlocksIngress);
        ipBlocksEgress = ipBlocksEgress == null ? null : List.copyOf(ipBlocksEgress);
    }

    /** True when at least one check is switched on. */
    public boolean any() {
        return identityPeers || ingressFrom != null || egressTo != null || ipBlocksIngress != null
                || ipBlocksEgress != null || noAllowAll || ports || defaultDeny || immutableNamespaceSelectors;
    }
}
