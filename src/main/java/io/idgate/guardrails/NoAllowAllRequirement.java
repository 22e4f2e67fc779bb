package io.idgate.guardrails;

import io.idgate.netpol.Direction;
import io.idgate.guardrails.TrafficRule.Peer;
import io.idgate.yaml.Fields;
import java.util.List;

/**
 * {@code noAllowAll: true}: no rule without {@code from}/{@code to} (every source or destination), and
 * no peer {@code namespaceSelector: {}} without a pod restriction (every pod of every namespace).
 */
public record NoAllowAllRequirement() implements Requirement {

    @Override
    public String field() {
        return "noAllowAll";
    }

    static Requirement read(Fields require, String field, DocumentContext doc) {
        return require.bool(field) ? new NoAllowAllRequirement() : null;
    }

    @Override
    public void checkTraffic(List<TrafficRule> traffic, RuleCheck check) {
        for (TrafficRule rule : traffic) {
            Direction dir = rule.direction();
            if (rule.noPeers()) {
                check.violation(rule.peersPath(), "missing, so the rule allows every " + dir.noun()
                        + " (all pods of all namespaces and all addresses)", "list the allowed peers under " + dir.peersField());
            }
            for (Peer peer : rule.peers()) {
                if (peer.ipBlock() == null && peer.namespaces() != null && peer.namespaces().isEmpty()
                        && (peer.pods() == null || peer.pods().isEmpty())) {
                    check.violation(peer.path(), "namespaceSelector {} with no pod restriction admits every pod of every namespace",
                            "add a podSelector that pins the peer to an identity, e.g. podSelector {matchLabels: {"
                                    + check.keys().group("<group>") + ": \"true\"}}");
                }
            }
        }
    }
}
