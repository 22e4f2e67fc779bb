package io.idgate.reach;

import io.idgate.netpol.Cidr;
import io.idgate.netpol.ContainerPort;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A pod-bearing object seen as one peer: a Pod, or a workload whose pod template counts as one pod.
 * A value class rather than a record only so that it keeps its id: the live world names each peer in
 * several tables, and one string per peer is what they share.
 *
 * @param namespace      its namespace
 * @param name           the object's name (the owner's for an owned pod)
 * @param kind           {@code Pod}, {@code Deployment}, ...
 * @param labels         the pod labels (the template's for a workload)
 * @param serviceAccount the ServiceAccount name ({@code default} when the spec names none)
 * @param ports          declared container ports (containers and init containers)
 * @param ips            pod addresses when known ({@code status.podIPs}), else empty
 * @param hostNetwork    {@code spec.hostNetwork}
 */
public final class ReachPeer {

    private final String namespace;
    private final String name;
    private final String kind;
    private final SortedMap<String, String> labels;
    private final String serviceAccount;
    private final List<ContainerPort> ports;
    private final List<Cidr> ips;
    private final boolean hostNetwork;
    private final String id;

    public ReachPeer(String namespace, String name, String kind, SortedMap<String, String> labels, String serviceAccount, List<ContainerPort> ports,
            List<Cidr> ips, boolean hostNetwork) {
        this.namespace = namespace;
        this.name = name;
        this.kind = kind;
        this.labels = LabelMap.copyOf(labels); // the live world holds one per workload: compact
        this.serviceAccount = serviceAccount;
        this.ports = List.copyOf(ports);
        this.ips = List.copyOf(ips);
        this.hostNetwork = hostNetwork;
        this.id = id(namespace, name, kind);
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    public SortedMap<String, String> labels() {
        return labels;
    }

    public String serviceAccount() {
        return serviceAccount;
    }

    public List<ContainerPort> ports() {
        return ports;
    }

    public List<Cidr> ips() {
        return ips;
    }

    public boolean hostNetwork() {
        return hostNetwork;
    }

    /** {@code <ns>/<name>[<Kind>]}: one string, built once. */
    public String id() {
        return id;
    }

    /** The id of the peer {@code namespace/name} of kind {@code kind}. */
    public static String id(String namespace, String name, String kind) {
        return namespace + "/" + name + "[" + kind + "]";
    }

    /** True when {@code other} is the same object ({@link #id()} equal). */
    public boolean sameObject(ReachPeer other) {
        return name.equals(other.name) && namespace.equals(other.namespace) && kind.equals(other.kind);
    }

    /** {@code <ns>/<sa>[ServiceAccount]}: the node of this peer in the identity view. */
    public String identityId() {
        return namespace + "/" + serviceAccount + "[ServiceAccount]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReachPeer p && hostNetwork == p.hostNetwork && namespace.equals(p.namespace) && name.equals(p.name) && kind.equals(p.kind)
                && labels.equals(p.labels)
                && Objects.equals(serviceAccount, p.serviceAccount) && ports.equals(p.ports) && ips.equals(p.ips);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, name, kind, labels, serviceAccount, ports, ips, hostNetwork);
    }

    @Override
    public String toString() {
        return "ReachPeer[namespace=" + namespace + ", name=" + name + ", kind=" + kind + ", labels=" + labels + ", serviceAccount=" + serviceAccount
                + ", ports=" + ports + ", ips=" + ips + ", hostNetwork=" + hostNetwork + "]";
    }
}
