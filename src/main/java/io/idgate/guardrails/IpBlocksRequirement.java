package io.idgate.guardrails;

import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.idgate.netpol.Direction;
import io.idgate.guardrails.TrafficRule.Peer;
import io.idgate.netpol.Cidr;
import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code ipBlocks: {ingress: [...], egress: [...]}}: an ipBlock must lie inside a listed CIDR ({@code []}
 * allows no ipBlock at all); {@code 0.0.0.0/0} and {@code ::/0} only when listed themselves.
 *
 * <p>Compares {@code ipBlock.cidr} only: {@code except} carves holes into the block but does not move
 * its outer bound, and proving that the holes cover exactly the part outside the allowed CIDRs is set
 * arithmetic nobody could read in a message. Write the narrower CIDR instead.
 *
 * @param ingress CIDRs ingress ipBlocks must lie inside; null when not required
 * @param egress  CIDRs egress ipBlocks must lie inside; null when not required
 */
public record IpBlocksRequirement(List<Cidr> ingress, List<Cidr> egress) implements Requirement {

    @Override
    public String field() {
        return "ipBlocks";
    }

    private static final List<String> FIELDS = List.of("ingress", "egress");

    public IpBlocksRequirement {
        ingress = ingress == null ? null : List.copyOf(ingress);
        egress = egress == null ? null : List.copyOf(egress);
    }

    /** The allowed CIDRs for {@code direction}; null when that direction is not checked. */
    public List<Cidr> allowed(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }

    static Requirement read(Fields require, String field, DocumentContext doc) {
        if (!require.has(field)) {
            return null;
        }
        StrictYamlReader yaml = doc.yaml();
        String path = require.path(field);
        MappingNode m = yaml.mapping(require.node(field), path);
        if (m == null) {
            return null;
        }
        Fields f = yaml.fields(m, path, FIELDS);
        List<Cidr> ingress = f.has("ingress") ? cidrs(f.node("ingress"), f.path("ingress"), yaml) : null;
        List<Cidr> egress = f.has("egress") ? cidrs(f.node("egress"), f.path("egress"), yaml) : null;
        if (f.isEmpty() && m.getValue().isEmpty()) {
            yaml.error(StrictYamlReader.line(m), path, "empty; list allowed CIDRs under ingress: and/or egress: ([] allows no ipBlock)");
        }
        return ingress == null && egress == null ? null : new IpBlocksRequirement(ingress, egress);
    }

    private static List<Cidr> cidrs(Node node, String path, StrictYamlReader yaml) {
        List<Cidr> out = new ArrayList<>();
        List<String> texts = yaml.stringList(node, path, (v, n, p) -> {
            try {
                Cidr c = Cidr.parse(v);
                if (c.hostBits()) {
                    // 10.1.2.3/16 most likely meant 10.1.0.0/16, but a guess must not widen or move a guardrail silently
                    yaml.error(StrictYamlReader.line(n), p, "\"" + v + "\" has bits set after the prefix; write " + c.canonical()
                            + " (or the prefix you meant)");
                    return false;
                }
                out.add(c);
                return true;
            } catch (IllegalArgumentException e) {
                yaml.error(StrictYamlReader.line(n), p, e.getMessage());
                return false;
            }
        });
        return texts == null ? null : out;
    }

    @Override
    public void checkTraffic(List<TrafficRule> traffic, RuleCheck check) {
        for (TrafficRule rule : traffic) {
            List<Cidr> allowed = allowed(rule.direction());
            for (Peer peer : rule.peers()) {
                if (peer.ipBlock() != null && allowed != null) {
                    check(rule.direction(), peer.path() + ".ipBlock.cidr", peer.ipBlock(), allowed, check);
                }
            }
        }
    }

    private static void check(Direction dir, String path, IPBlock block, List<Cidr> allowed, RuleCheck check) {
        Cidr cidr;
        try {
            cidr = Cidr.parse(block.getCidr());
        } catch (IllegalArgumentException e) {
            check.violation(path, "\"" + block.getCidr() + "\" is not a valid CIDR", "write address/prefix such as 10.20.0.0/16");
            return;
        }
        if (allowed.isEmpty()) {
            check.violation(path, "ipBlock " + cidr.text() + " is not allowed: this rule allows no ipBlock for " + dir.field(),
                    "select the peer by identity (a podSelector on " + check.keys().prefix() + " labels) instead of by address");
            return;
        }
        if (allowed.stream().noneMatch(a -> a.contains(cidr))) {
            String list = String.join(", ", allowed.stream().map(Cidr::text).toList());
            check.violation(path, cidr.text() + " is not inside an allowed CIDR (" + list + ")"
                            + (cidr.isWholeFamily() ? "; " + cidr.text() + " means every address and is allowed only when listed itself" : ""),
                    "use a CIDR inside " + list + " (an except list does not narrow the block for this check)");
        }
    }
}
