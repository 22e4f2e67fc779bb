package io.idgate.review;

import io.idgate.engine.Finding;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The audit's gauges: {@code idgate_audit_violations{rule}} (guardrail and invariant violations found by
 * the last run, per rule or invariant, whatever its action), {@code idgate_audit_reach_findings{kind}}
 * (the reachability findings: open peers, policies selecting nothing, shadowed rules, spoofable edges
 * into protected identities, namespaces without a default-deny) and {@code idgate_audit_stale_pods}. A
 * rule or kind with nothing left drops out of its gauge rather than staying at its old value.
 */
public final class AuditGauges {

    private final MeterRegistry registry;
    private final MultiGauge violations;
    private final MultiGauge reachFindings;
    private final AtomicInteger stalePods = new AtomicInteger();

    public AuditGauges(MeterRegistry registry) {
        this.registry = registry;
        this.violations = MultiGauge.builder("idgate.audit.violations")
                .description("Guardrail violations found by the last scheduled audit, per rule")
                .register(registry);
        this.reachFindings = MultiGauge.builder("idgate.audit.reach.findings")
                .description("Reachability findings of the last scheduled audit, per kind")
                .register(registry);
        registry.gauge("idgate.audit.stale.pods", stalePods);
    }

    public void record(ClusterAudit.Result result) {
        Map<String, Integer> byRule = new TreeMap<>();
        for (Finding f : result.findings()) {
            f.messages().stream().filter(m -> m.violation() != null).forEach(m -> byRule.merge(m.violation().rule(), 1, Integer::sum));
        }
        List<MultiGauge.Row<?>> rows = byRule.entrySet().stream()
                .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("rule", e.getKey()), e.getValue()))
                .toList();
        violations.register(rows, true);
        Map<String, Integer> byKind = new TreeMap<>();
        for (Finding f : result.findings()) {
            f.messages().stream().filter(m -> m.problem() != null && m.problem().startsWith("reach-"))
                    .forEach(m -> byKind.merge(m.problem().substring("reach-".length()), 1, Integer::sum));
        }
        reachFindings.register(byKind.entrySet().stream()
                .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("kind", e.getKey()), e.getValue())).toList(), true);
        stalePods.set(result.stalePods());
    }

    /** Removes the gauges (a restarted application registers its own). */
    public void close() {
        violations.register(List.of(), true);
        reachFindings.register(List.of(), true);
        registry.find("idgate.audit.stale.pods").meters().forEach(registry::remove);
    }
}
