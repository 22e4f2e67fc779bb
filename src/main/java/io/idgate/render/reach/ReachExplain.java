package io.idgate.render.reach;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.reach.Explanation;
import java.util.List;

/** {@code idgate reach explain}: which policy and rule allows or isolates each direction, as text or JSON. */
public final class ReachExplain {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReachExplain() {}

    /** The explanation as lines: each direction, then the result. */
    public static String text(Explanation x) {
        StringBuilder b = new StringBuilder();
        b.append(x.src()).append(" => ").append(x.dst());
        if (x.port() != null) {
            b.append(" on ").append(x.port()).append('/').append(x.protocol());
        }
        b.append('\n');
        for (Explanation.Side s : List.of(x.egress(), x.ingress())) {
            b.append("  ").append(s.direction().policyType().toLowerCase(java.util.Locale.ROOT)).append(" of ").append(s.peer()).append(": ");
            switch (s.status()) {
                case EXTERNAL -> b.append("open (an address outside the cluster has no NetworkPolicy)\n");
                case OPEN -> b.append("open by default (no NetworkPolicy selects it for ").append(s.direction().policyType()).append(")\n");
                case ISOLATED -> {
                    b.append("isolated by ").append(String.join(", ", s.isolatedBy())).append('\n');
                    if (s.allowedBy().isEmpty()) {
                        b.append("    no rule of these policies allows it\n");
                    }
                    for (Explanation.Allowance a : s.allowedBy()) {
                        b.append("    allowed by ").append(a.policy()).append(' ').append(a.rulePath())
                                .append(a.peerIndex() < 0 ? " (every peer)" : "." + s.direction().peersField() + "[" + a.peerIndex() + "]")
                                .append(" : ").append(a.conns()).append(a.spoofable() ? " (spoofable)" : "").append('\n');
                    }
                }
            }
        }
        b.append("  result: ").append(x.result().isEmpty() ? "no connection" : x.result().toString());
        if (x.spoofable()) {
            b.append(" (spoofable: only selectors that do not pin identity allow it)");
        }
        return b.append('\n').toString();
    }

    /**
     * The explanation as JSON: {@code src}, {@code dst}, {@code port}, {@code protocol}, one object per
     * direction ({@code egress}, {@code ingress}: {@code peer}, {@code status} open|isolated|external,
     * {@code isolatedBy} policy names, {@code allowedBy} with {@code policy}, {@code rule} (the field
     * path), {@code ruleIndex}, {@code peerIndex} (-1: every peer), {@code conns}, {@code spoofable}),
     * {@code result} and {@code spoofable} (docs/reach-json.md).
     */
    public static String json(Explanation x) {
        ObjectNode root = JSON.createObjectNode();
        root.put("src", x.src()).put("dst", x.dst());
        if (x.port() != null) {
            root.put("port", x.port()).put("protocol", x.protocol().name());
        }
        for (Explanation.Side s : List.of(x.egress(), x.ingress())) {
            ObjectNode side = root.putObject(s.direction().policyType().toLowerCase(java.util.Locale.ROOT));
            side.put("peer", s.peer()).put("status", s.status().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode isolated = side.putArray("isolatedBy");
            s.isolatedBy().forEach(isolated::add);
            ArrayNode allowed = side.putArray("allowedBy");
            for (Explanation.Allowance a : s.allowedBy()) {
                allowed.addObject().put("policy", a.policy()).put("rule", a.rulePath()).put("ruleIndex", a.ruleIndex())
                        .put("peerIndex", a.peerIndex()).put("conns", a.conns().toString()).put("spoofable", a.spoofable());
            }
        }
        root.put("result", x.result().isEmpty() ? "" : x.result().toString()).put("spoofable", x.spoofable());
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of strings and numbers always serialises
        }
    }
}
