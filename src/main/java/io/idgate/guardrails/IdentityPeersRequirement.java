package io.idgate.guardrails;

import io.idgate.guardrails.TrafficRule.Peer;
import io.idgate.identity.IdentityKeys;
import io.idgate.netpol.LabelSelector;
import io.idgate.netpol.Selectors;
import io.idgate.yaml.Fields;
import java.util.List;

/**
 * {@code identityPeers: true}: a pod peer must select by identity keys ({@code P/…} or
 * {@code groups.P/…}); any other label can be set by whoever writes a pod.
 */
public record IdentityPeersRequirement() implements Requirement {

    @Override
    public String field() {
        return "identityPeers";
    }

    static Requirement read(Fields require, String field, DocumentContext doc) {
        return require.bool(field) ? new IdentityPeersRequirement() : null;
    }

    @Override
    public void checkTraffic(List<TrafficRule> traffic, RuleCheck check) {
        IdentityKeys keys = check.keys();
        for (TrafficRule rule : traffic) {
            for (Peer peer : rule.peers()) {
                LabelSelector pods = peer.pods();
                // an empty podSelector selects every pod, which is noAllowAll's and the identity lists' concern
                if (pods != null && !pods.isEmpty() && Selectors.requiredKeys(pods).stream().noneMatch(keys::isOwned)) {
                    check.violation(peer.path() + ".podSelector", "selects pods by labels any pod author can set (" + pods.toFlow() + ")",
                            "select by identity instead, e.g. {matchLabels: {" + keys.serviceAccount() + ": <service account>}}"
                                    + " or {matchLabels: {" + keys.group("<group>") + ": \"true\"}}");
                }
            }
        }
    }
}
