package io.idgate.reach;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random worlds, as lists of YAML documents (one object each), small enough for a per-pair
 * oracle but dense in the corner cases: shared labels (classes), named ports of both protocols, pod
 * addresses inside and outside blocks, absent vs empty selectors, AND vs OR peers, implied policyTypes.
 */
final class RandomWorlds {

    private static final String[] NAMESPACES = {"shop", "ops", "kube-system"};
    private static final String[] APPS = {"a", "b", "c"};
    private static final String[] CIDRS = {"10.0.0.0/8", "10.0.0.0/24", "10.0.1.0/24", "0.0.0.0/0", "192.168.0.0/16", "10.0.0.0/16"};
    private static final String[] EXCEPTS = {"10.0.0.0/28", "10.0.0.128/25", "10.0.1.0/30"};

    private RandomWorlds() {}

    static List<String> documents(long seed) {
        Random r = new Random(seed);
        List<String> docs = new ArrayList<>();
        for (String ns : NAMESPACES) {
            if (r.nextBoolean()) { // else the namespace exists through its pods only
                docs.add(Worlds.ns(ns, r.nextBoolean() ? "{team: ops}" : "{}"));
            }
        }
        int peers = 2 + r.nextInt(6);
        for (int i = 0; i < peers; i++) {
            String ns = pick(r, NAMESPACES);
            String labels = "{app: " + pick(r, APPS) + (r.nextBoolean() ? ", tier: " + (r.nextBoolean() ? "x" : "y") : "")
                    + (r.nextInt(3) == 0 ? ", idgate.io/service-account: s" + r.nextInt(2) : "") + "}";
            List<String> ports = new ArrayList<>();
            if (r.nextBoolean()) {
                ports.add("{name: http, containerPort: " + (8080 + r.nextInt(2)) + "}");
            }
            if (r.nextInt(3) == 0) {
                ports.add("{name: dns, containerPort: 53, protocol: " + (r.nextBoolean() ? "UDP" : "TCP") + "}");
            }
            if (r.nextInt(3) == 0) {
                String ip = "10.0." + r.nextInt(2) + "." + r.nextInt(256);
                docs.add("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p" + i + ", namespace: " + ns + ", labels: " + labels + "}\n"
                        + "spec: {serviceAccountName: sa" + r.nextInt(2) + ", containers: [{name: c, image: x, ports: " + ports + "}]}\n"
                        + "status: {podIPs: [{ip: " + ip + "}]}\n");
            } else {
                docs.add("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w" + i + ", namespace: " + ns + "}\nspec:\n  template:\n"
                        + "    metadata: {labels: " + labels + "}\n    spec: {serviceAccountName: sa" + r.nextInt(2)
                        + ", containers: [{name: c, image: x, ports: " + ports + "}]}\n");
            }
        }
        int policies = r.nextInt(5);
        for (int i = 0; i < policies; i++) {
            StringBuilder spec = new StringBuilder("podSelector: " + (r.nextInt(3) == 0 ? "{}" : "{matchLabels: {app: " + pick(r, APPS) + "}}") + "\n");
            int types = r.nextInt(4);
            if (types == 1) {
                spec.append("policyTypes: [Ingress]\n");
            } else if (types == 2) {
                spec.append("policyTypes: [Egress]\n");
            } else if (types == 3) {
                spec.append("policyTypes: [Ingress, Egress]\n");
            }
            for (String dir : new String[] {"ingress", "egress"}) {
                int shape = r.nextInt(4);
                if (shape == 0) {
                    continue; // absent
                }
                if (shape == 1) {
                    spec.append(dir).append(": []\n");
                    continue;
                }
                spec.append(dir).append(":\n");
                for (int k = r.nextInt(3); k >= 0; k--) {
                    spec.append("- ").append(rule(r, dir.equals("ingress") ? "from" : "to"));
                }
            }
            docs.add(Worlds.policy(pick(r, NAMESPACES), "np" + i, spec.toString()));
        }
        return docs;
    }

    private static String rule(Random r, String peersField) {
        StringBuilder b = new StringBuilder("{");
        List<String> fields = new ArrayList<>();
        if (r.nextInt(4) != 0) {
            List<String> peers = new ArrayList<>();
            for (int k = r.nextInt(3); k >= 0; k--) {
                peers.add(peer(r));
            }
            fields.add(peersField + ": [" + String.join(", ", peers) + "]");
        }
        if (r.nextBoolean()) {
            List<String> ports = new ArrayList<>();
            for (int k = r.nextInt(2); k >= 0; k--) {
                String proto = r.nextInt(3) == 0 ? ", protocol: UDP" : r.nextInt(6) == 0 ? ", protocol: SCTP" : "";
                ports.add(switch (r.nextInt(4)) {
                    case 0 -> "{port: " + (8079 + r.nextInt(3)) + proto + "}";
                    case 1 -> "{port: 8000, endPort: " + (8080 + r.nextInt(2)) + proto + "}";
                    case 2 -> "{port: " + (r.nextBoolean() ? "http" : "dns") + proto + "}";
                    default -> "{port: 53" + proto + "}";
                });
            }
            if (r.nextInt(5) == 0) {
                ports.add("{protocol: UDP}");
            }
            fields.add("ports: [" + String.join(", ", ports) + "]");
        }
        return b.append(String.join(", ", fields)).append("}\n").toString();
    }

    private static String peer(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "{podSelector: " + selector(r) + "}";
            case 1 -> "{namespaceSelector: " + nsSelector(r) + "}";
            case 2 -> "{namespaceSelector: " + nsSelector(r) + ", podSelector: " + selector(r) + "}";
            case 3 -> {
                String cidr = pick(r, CIDRS);
                List<String> except = new ArrayList<>();
                for (String e : EXCEPTS) {
                    if (r.nextInt(3) == 0 && strictlyInside(e, cidr)) {
                        except.add(e);
                    }
                }
                yield "{ipBlock: {cidr: " + cidr + (except.isEmpty() ? "" : ", except: " + except) + "}}";
            }
            case 4 -> "{podSelector: {matchLabels: {idgate.io/service-account: s" + r.nextInt(2) + "}}}";
            default -> "{podSelector: {matchExpressions: [{key: tier, operator: " + pick(r, new String[] {"In", "NotIn"}) + ", values: [x]}]}}";
        };
    }

    private static String selector(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> "{}";
            case 1 -> "{matchLabels: {app: " + pick(r, APPS) + "}}";
            default -> "{matchExpressions: [{key: tier, operator: " + (r.nextBoolean() ? "Exists" : "DoesNotExist") + "}]}";
        };
    }

    private static String nsSelector(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> "{}";
            case 1 -> "{matchLabels: {team: ops}}";
            default -> "{matchLabels: {kubernetes.io/metadata.name: " + pick(r, NAMESPACES) + "}}";
        };
    }

    private static boolean strictlyInside(String inner, String outer) {
        var i = io.idgate.netpol.Cidr.parse(inner);
        var o = io.idgate.netpol.Cidr.parse(outer);
        return o.contains(i) && i.prefix() > o.prefix();
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
