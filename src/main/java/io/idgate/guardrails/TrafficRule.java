package io.idgate.guardrails;

import io.idgate.netpol.Direction;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.idgate.netpol.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * One ingress or egress rule of a NetworkPolicy, read once per admission for every requirement of
 * every rule: its field path, its ports and its peers with their selectors.
 *
 * @param direction ingress or egress
 * @param path      e.g. {@code spec.ingress[0]}
 * @param noPeers   no {@code from}/{@code to} at all (or an empty list): every source or destination
 * @param ports     as written; null or empty means every port
 * @param peers     the non-null peers
 */
public record TrafficRule(Direction direction, String path, boolean noPeers, List<NetworkPolicyPort> ports, List<Peer> peers) {

    /**
     * One peer of a rule.
     *
     * @param path       e.g. {@code spec.ingress[0].from[1]}
     * @param peer       as written
     * @param pods       its podSelector, null when absent
     * @param namespaces its namespaceSelector, null when absent
     */
    public record Peer(String path, NetworkPolicyPeer peer, LabelSelector pods, LabelSelector namespaces) {

        public IPBlock ipBlock() {
            return peer.getIpBlock();
        }
    }

    /** The rules of {@code spec}, ingress first; none for a null spec. A null rule has no peers and no ports. */
    public static List<TrafficRule> of(NetworkPolicySpec spec) {
        List<TrafficRule> out = new ArrayList<>();
        if (spec == null) {
            return out;
        }
        List<NetworkPolicyIngressRule> ingress = spec.getIngress() == null ? List.of() : spec.getIngress();
        for (int i = 0; i < ingress.size(); i++) {
            NetworkPolicyIngressRule r = ingress.get(i);
            out.add(of(Direction.INGRESS, "spec.ingress[" + i + "]", r == null ? null : r.getFrom(), r == null ? null : r.getPorts()));
        }
        List<NetworkPolicyEgressRule> egress = spec.getEgress() == null ? List.of() : spec.getEgress();
        for (int i = 0; i < egress.size(); i++) {
            NetworkPolicyEgressRule r = egress.get(i);
            out.add(of(Direction.EGRESS, "spec.egress[" + i + "]", r == null ? null : r.getTo(), r == null ? null : r.getPorts()));
        }
        return out;
    }

    private static TrafficRule of(Direction dir, String path, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
        List<Peer> out = new ArrayList<>();
        for (int j = 0; peers != null && j < peers.size(); j++) {
            NetworkPolicyPeer p = peers.get(j);
            if (p != null) {
                out.add(new Peer(path + "." + dir.peersField() + "[" + j + "]", p, LabelSelector.fromModel(p.getPodSelector()),
                        LabelSelector.fromModel(p.getNamespaceSelector())));
            }
        }
        return new TrafficRule(dir, path, peers == null || peers.isEmpty(), ports, List.copyOf(out));
    }

    /** {@code <path>.from} or {@code <path>.to}. */
    public String peersPath() {
        return path + "." + direction.peersField();
    }
}
