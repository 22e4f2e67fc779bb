package io.idgate.netpol;

/**
 * A port a container declares ({@code containers[].ports[]}): what a NetworkPolicy's named port resolves to.
 *
 * @param name     the port name, or null when unnamed
 * @param number   {@code containerPort}
 * @param protocol {@code protocol}, TCP when omitted
 */
public record ContainerPort(String name, int number, Protocol protocol) {
    public ContainerPort {
        protocol = protocol == null ? Protocol.TCP : protocol;
    }
}
