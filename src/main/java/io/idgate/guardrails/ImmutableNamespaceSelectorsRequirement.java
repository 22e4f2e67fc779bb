package io.idgate.guardrails;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.idgate.guardrails.TrafficRule.Peer;
import io.idgate.yaml.Fields;
import java.util.List;
import java.util.Map;

/**
 * {@code immutableNamespaceSelectors: true}: a namespaceSelector may only use
 * {@code kubernetes.io/metadata.name}, which the API server sets; namespace owners can edit every other
 * namespace label, and with it what the policy admits.
 */
public record ImmutableNamespaceSelectorsRequirement() implements Requirement {

    @Override
    public String field() {
        return "immutableNamespaceSelectors";
    }

    static Requirement read(Fields require, String field, DocumentContext doc) {
        return require.bool(field) ? new ImmutableNamespaceSelectorsRequirement() : null;
    }

    @Override
    public void checkTraffic(List<TrafficRule> traffic, RuleCheck check) {
        for (TrafficRule rule : traffic) {
            for (Peer peer : rule.peers()) {
                // the selector as written: a matchExpression that the model drops must still be reported
                LabelSelector selector = peer.peer().getNamespaceSelector();
                if (selector != null) {
                    check(peer.path() + ".namespaceSelector", selector, check);
                }
            }
        }
    }

    private static void check(String path, LabelSelector selector, RuleCheck check) {
        String fix = "select namespaces only by " + IdentityPinning.NAMESPACE_NAME
                + " (set by the API server), e.g. {matchLabels: {" + IdentityPinning.NAMESPACE_NAME + ": <namespace>}}";
        Map<String, String> labels = selector.getMatchLabels();
        if (labels != null) {
            labels.keySet().stream().sorted().filter(k -> !IdentityPinning.NAMESPACE_NAME.equals(k)).forEach(k ->
                    check.violation(path + ".matchLabels[" + k + "]",
                            "selects namespaces by label " + k + ", which namespace owners can change", fix));
        }
        List<LabelSelectorRequirement> exprs = selector.getMatchExpressions();
        for (int k = 0; exprs != null && k < exprs.size(); k++) {
            LabelSelectorRequirement r = exprs.get(k);
            if (r != null && !IdentityPinning.NAMESPACE_NAME.equals(r.getKey())) {
                check.violation(path + ".matchExpressions[" + k + "]",
                        "selects namespaces by label " + r.getKey() + ", which namespace owners can change", fix);
            }
        }
    }
}
