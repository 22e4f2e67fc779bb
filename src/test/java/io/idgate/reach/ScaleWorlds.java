package io.idgate.reach;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Large seeded worlds for timings: {@code workloads} Deployments over 50 namespaces (labels app, tier,
 * team; a named port), and {@code policies} NetworkPolicies of the shapes real clusters hold: a
 * default-deny per namespace, allow-from-tier, allow-from-a-namespace-label, egress to an ipBlock with
 * except, ingress on a named port, identity-pinned peers.
 */
public final class ScaleWorlds {

    private ScaleWorlds() {}

    static List<ObjectNode> objects(int workloads, int policies, long seed) {
        return objects(workloads, policies, seed, true);
    }

    /** {@code defaultDeny} false: no namespace-wide deny, so most pairs stay open (the output-heavy case). */
    static List<ObjectNode> objects(int workloads, int policies, long seed, boolean defaultDeny) {
        return Worlds.objects(yaml(workloads, policies, seed, defaultDeny));
    }

    /** The world as one multi-document YAML file, as a user's manifests directory would hold it (make bench times the CLI on it). */
    public static String yaml(int workloads, int policies, long seed, boolean defaultDeny) {
        Random r = new Random(seed);
        StringBuilder y = new StringBuilder();
        int namespaces = 50;
        for (int n = 0; n < namespaces; n++) {
            y.append(Worlds.ns("ns" + n, "{team: t" + (n % 7) + "}"));
        }
        for (int i = 0; i < workloads; i++) {
            y.append(Worlds.deploy("ns" + (i % namespaces), "w" + i,
                    "{app: w" + i + ", tier: t" + r.nextInt(5) + ", idgate.io/service-account: sa" + (i % 20) + "}",
                    "[{name: http, containerPort: " + (8000 + r.nextInt(3)) + "}]"));
        }
        for (int p = 0; p < policies; p++) {
            String ns = "ns" + (p % namespaces);
            if (p < namespaces && defaultDeny) {
                y.append(Worlds.policy(ns, "default-deny", "podSelector: {}\npolicyTypes: [Ingress, Egress]\n"));
                continue;
            }
            String target = "podSelector: {matchLabels: {app: w" + (r.nextInt(workloads / namespaces) * namespaces + p % namespaces) + "}}\n";
            y.append(Worlds.policy(ns, "p" + p, switch (p % 5) {
                case 0 -> target + "ingress:\n- from: [{podSelector: {matchLabels: {tier: t" + r.nextInt(5) + "}}}]\n  ports: [{port: http}]\n";
                case 1 -> target + "ingress:\n- from: [{namespaceSelector: {matchLabels: {team: t" + r.nextInt(7) + "}}, podSelector: {matchLabels: {tier: t"
                        + r.nextInt(5) + "}}}]\n";
                case 2 -> {
                    int net = r.nextInt(256);
                    yield target + "policyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 10." + net + ".0.0/16, except: [10." + net + ".1.0/24]}}]\n";
                }
                case 3 -> target + "policyTypes: [Egress]\negress:\n- to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns" + r.nextInt(namespaces)
                        + "}}}]\n  ports: [{port: 8000, endPort: 8001}, {port: 53, protocol: UDP}]\n";
                default -> target + "ingress:\n- from: [{podSelector: {matchLabels: {idgate.io/service-account: sa" + r.nextInt(20) + "}}}]\n";
            }));
        }
        return y.toString();
    }

    static World world(int workloads, int policies, long seed) {
        return world(workloads, policies, seed, true);
    }

    static World world(int workloads, int policies, long seed, boolean defaultDeny) {
        WorldBuilder b = new WorldBuilder();
        objects(workloads, policies, seed, defaultDeny).forEach(o -> b.add("scale", o));
        World w = b.build();
        if (!b.problems().isEmpty()) {
            throw new IllegalStateException(b.problems().get(0).toString());
        }
        return w;
    }
}
