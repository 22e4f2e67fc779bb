package io.idgate.netpol;

import java.util.List;

/**
 * One ingress or egress rule. A connection is allowed by the rule when the other side matches any of
 * {@code peers} (OR) and its port matches any of {@code ports} (OR).
 *
 * @param index the rule's position in {@code spec.ingress} / {@code spec.egress}
 * @param peers empty = every peer: pods of every namespace and every address ("empty or missing")
 * @param ports empty = every port of every protocol
 */
public record PolicyRule(int index, List<Peer> peers, List<PolicyPort> ports) {

    public PolicyRule {
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }

    public boolean allPeers() {
        return peers.isEmpty();
    }

    public boolean hasNamedPorts() {
        return ports.stream().anyMatch(PolicyPort::isNamed);
    }

    /** The connections the rule opens towards a destination with {@code destinationPorts}. */
    public Connections connections(List<ContainerPort> destinationPorts) {
        if (ports.isEmpty()) {
            return Connections.ALL;
        }
        Connections c = Connections.NONE;
        for (PolicyPort p : ports) {
            c = c.union(p.resolve(destinationPorts));
        }
        return c;
    }
}
