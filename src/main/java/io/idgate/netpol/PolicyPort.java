package io.idgate.netpol;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;

/**
 * One entry of a rule's {@code ports}: a protocol (TCP when omitted) and either every port (no
 * {@code port}), a number, a range {@code port..endPort}, or a named port resolved per destination pod.
 *
 * @param protocol the protocol
 * @param port     first port, or null for every port of the protocol (and when {@code name} is set)
 * @param endPort  last port of a range, or null
 * @param name     a named port, or null
 */
public record PolicyPort(Protocol protocol, Integer port, Integer endPort, String name) {

    public boolean isNamed() {
        return name != null;
    }

    /**
     * What this entry opens on a destination with {@code destinationPorts}: a named port opens the
     * numbers of the destination's container ports of that name <em>and</em> protocol, so a name the
     * destination lacks (or declares for another protocol) opens nothing.
     */
    public Connections resolve(List<ContainerPort> destinationPorts) {
        if (name != null) {
            Connections c = Connections.NONE;
            for (ContainerPort cp : destinationPorts) {
                if (name.equals(cp.name()) && cp.protocol() == protocol) {
                    c = c.union(Connections.of(protocol, cp.number()));
                }
            }
            return c;
        }
        if (port == null) {
            return Connections.allOf(protocol);
        }
        return Connections.of(protocol, port, endPort == null ? port : endPort);
    }

    /** The entry of a validated manifest port. */
    public static PolicyPort of(NetworkPolicyPort p) {
        Protocol protocol = p.getProtocol() == null ? Protocol.TCP : Protocol.fromWire(p.getProtocol()).orElse(Protocol.TCP);
        if (p.getPort() == null) {
            return new PolicyPort(protocol, null, null, null);
        }
        if (p.getPort().getStrVal() != null) {
            return new PolicyPort(protocol, null, null, p.getPort().getStrVal());
        }
        return new PolicyPort(protocol, p.getPort().getIntVal(), p.getEndPort(), null);
    }
}
