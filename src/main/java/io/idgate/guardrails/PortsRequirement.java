package io.idgate.guardrails;

import io.idgate.yaml.Fields;
import java.util.List;

/** {@code ports: true}: every ingress and egress rule lists its ports (none listed means every port). */
public record PortsRequirement() implements Requirement {

    @Override
    public String field() {
        return "ports";
    }

    static Requirement read(Fields require, String field, DocumentContext doc) {
        return require.bool(field) ? new PortsRequirement() : null;
    }

    @Override
    public void checkTraffic(List<TrafficRule> traffic, RuleCheck check) {
        for (TrafficRule rule : traffic) {
            if (rule.ports() == null || rule.ports().isEmpty()) {
                check.violation(rule.path() + ".ports", "the rule allows every port",
                        "list only the ports the traffic needs, e.g. ports: [{protocol: TCP, port: 8443}]");
            }
        }
    }
}
