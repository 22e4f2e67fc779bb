package io.idgate.reach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.netpol.Cidr;
import io.idgate.netpol.Connections;
import io.idgate.netpol.ContainerPort;
import io.idgate.netpol.IpBlock;
import io.idgate.netpol.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A brute-force evaluator written straight from the API reference, reading the raw NetworkPolicy
 * manifests (not {@code PolicyRules}) for one pair at a time: no classes, no cuts, no memo. The engine
 * must agree with it on every pair of every random world.
 */
final class Oracle {

    private final World world;
    private final List<JsonNode> policies = new ArrayList<>();

    Oracle(World world, List<ObjectNode> objects) {
        this.world = world;
        for (ObjectNode o : objects) {
            if ("NetworkPolicy".equals(o.path("kind").asText())) {
                policies.add(o);
            }
        }
    }

    /** One side of a pair: a peer, or an IPv4 address outside the cluster. */
    record End(ReachPeer peer, long address) {}

    Connections between(End src, End dst) {
        Connections egress = src.peer() == null ? Connections.ALL : side(src.peer(), "egress", dst, dst);
        Connections ingress = dst.peer() == null ? Connections.ALL : side(dst.peer(), "ingress", src, dst);
        return egress.intersect(ingress);
    }

    private Connections side(ReachPeer self, String dir, End other, End dst) {
        boolean isolated = false;
        Connections allowed = Connections.NONE;
        for (JsonNode np : policies) {
            String ns = np.path("metadata").path("namespace").asText("default");
            JsonNode spec = np.path("spec");
            if (!ns.equals(self.namespace()) || !selector(spec.path("podSelector"), self.labels())) {
                continue;
            }
            JsonNode types = spec.path("policyTypes");
            boolean applies;
            if (!types.isArray() || types.isEmpty()) {
                applies = dir.equals("ingress") || (spec.path("egress").isArray() && !spec.path("egress").isEmpty());
            } else {
                applies = false;
                for (JsonNode t : types) {
                    applies |= t.asText().equalsIgnoreCase(dir);
                }
            }
            if (!applies) {
                continue;
            }
            isolated = true;
            for (JsonNode rule : spec.path(dir)) {
                JsonNode peers = rule.path(dir.equals("ingress") ? "from" : "to");
                boolean match = !peers.isArray() || peers.isEmpty();
                for (JsonNode p : peers) {
                    match |= peer(p, ns, other);
                }
                if (match) {
                    allowed = allowed.union(ports(rule.path("ports"), dst.peer() == null ? List.of() : dst.peer().ports()));
                }
            }
        }
        return isolated ? allowed : Connections.ALL;
    }

    private boolean peer(JsonNode p, String policyNs, End other) {
        if (p.has("ipBlock")) {
            IpBlock block = block(p.path("ipBlock"));
            if (other.peer() == null) {
                return block.containsIpv4(other.address());
            }
            return other.peer().ips().stream().anyMatch(block::containsAddress);
        }
        if (other.peer() == null) {
            return false;
        }
        ReachPeer o = other.peer();
        boolean nsOk = p.has("namespaceSelector")
                ? selector(p.path("namespaceSelector"), world.namespaceLabels(o.namespace()))
                : o.namespace().equals(policyNs);
        return nsOk && (!p.has("podSelector") || selector(p.path("podSelector"), o.labels()));
    }

    private static IpBlock block(JsonNode b) {
        List<Cidr> except = new ArrayList<>();
        b.path("except").forEach(e -> except.add(Cidr.parse(e.asText())));
        return new IpBlock(Cidr.parse(b.path("cidr").asText()), except);
    }

    private static Connections ports(JsonNode ports, List<ContainerPort> destPorts) {
        if (!ports.isArray() || ports.isEmpty()) {
            return Connections.ALL;
        }
        Connections c = Connections.NONE;
        for (JsonNode p : ports) {
            Protocol proto = Protocol.valueOf(p.path("protocol").asText("TCP"));
            JsonNode port = p.path("port");
            if (port.isMissingNode()) {
                c = c.union(Connections.allOf(proto));
            } else if (port.isTextual()) {
                for (ContainerPort cp : destPorts) {
                    if (port.asText().equals(cp.name()) && cp.protocol() == proto) {
                        c = c.union(Connections.of(proto, cp.number()));
                    }
                }
            } else {
                c = c.union(Connections.of(proto, port.asInt(), p.path("endPort").asInt(port.asInt())));
            }
        }
        return c;
    }

    static boolean selector(JsonNode s, Map<String, String> labels) {
        for (var it = s.path("matchLabels").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode r : s.path("matchExpressions")) {
            String v = labels.get(r.path("key").asText());
            List<String> values = new ArrayList<>();
            r.path("values").forEach(x -> values.add(x.asText()));
            boolean ok = switch (r.path("operator").asText()) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> throw new IllegalStateException("operator");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
