package io.idgate.reach;

import io.idgate.netpol.Connections;

/**
 * The connections from {@code src} to {@code dst} that NetworkPolicies allow (never empty in a graph).
 *
 * @param spoofable true when the edge exists only through peer selectors that do not pin identity
 *                  (see {@link Spoofing}): a pod author could gain it by choosing labels
 */
public record Edge(String src, String dst, Connections conns, boolean spoofable) implements Comparable<Edge> {

    @Override
    public int compareTo(Edge o) {
        int c = src.compareTo(o.src);
        return c != 0 ? c : dst.compareTo(o.dst);
    }
}
