package io.idgate.reach;

import io.idgate.netpol.Cidr;
import io.idgate.netpol.ContainerPort;
import java.util.List;
import java.util.SortedMap;

/**
 * A pod-bearing object seen as one peer: a Pod, or a workload whose pod template counts as one pod.
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
public record ReachPeer(String namespace, String name, String kind, SortedMap<String, String> labels, String serviceAccount,
                        List<ContainerPort> ports, List<Cidr> ips, boolean hostNetwork) {

    public ReachPeer {
        labels = LabelMap.copyOf(labels); // the live world holds one per workload: compact
        ports = List.copyOf(ports);
        ips = List.copyOf(ips);
    }

    /** {@code <ns>/<name>[<Kind>]}. */
    public String id() {
        return id(namespace, name, kind);
    }

    /** The id of the peer {@code namespace/name} of kind {@code kind}. */
    public static String id(String namespace, String name, String kind) {
        return namespace + "/" + name + "[" + kind + "]";
    }

    /** True when {@code other} is the same object ({@link #id()} equal, without building the names: hot at admission). */
    public boolean sameObject(ReachPeer other) {
        return name.equals(other.name) && namespace.equals(other.namespace) && kind.equals(other.kind);
    }

    /** {@code <ns>/<sa>[ServiceAccount]}: the node of this peer in the identity view. */
    public String identityId() {
        return namespace + "/" + serviceAccount + "[ServiceAccount]";
    }
}
