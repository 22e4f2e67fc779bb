package io.idgate.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.idgate.engine.Finding;
import io.idgate.engine.Message;
import io.idgate.guardrails.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code -o policyreport}: the findings as {@code wgpolicyk8s.io/v1alpha2} reports, the format Policy
 * Reporter, Kyverno's tooling and dashboards read. One {@code PolicyReport} named {@code idgate} per
 * namespace with findings, one {@code ClusterPolicyReport} named {@code idgate} for cluster-scoped
 * objects (the audit's namespaces without a default deny). Every object gives at least one result:
 * {@code pass} when nothing was found, else one per line: deny is {@code fail}, warn and audit are
 * {@code warn} (audit with severity low). {@code policy} is the guardrail rule (its ConfigMap in
 * {@code properties}), or {@code idgate-pod-identity} for identity lines; {@code rule} is the
 * requirement or the identity problem, as in SARIF's rule ids.
 */
public final class PolicyReports {

    public static final String API_VERSION = "wgpolicyk8s.io/v1alpha2";
    /** The name of every report idgate writes: one per namespace, so a run replaces the last one. */
    public static final String NAME = "idgate";
    static final String SOURCE = "idgate";
    static final String POD_IDENTITY = "idgate-pod-identity";
    /** The policy of a pass result of a NetworkPolicy: no guardrail rule found anything. */
    static final String GUARDRAILS = "idgate-guardrails";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // properties are strings (the CRD says so): "1" unquoted would read back as a number
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES) // a message stays on one line, as in every other output
            .build());

    private PolicyReports() {}

    /**
     * Multi-document YAML: the ClusterPolicyReport (if any cluster-scoped finding), then one
     * PolicyReport per namespace by name; errors and notes as comments before them, and no report at
     * all when an input was unusable.
     */
    static String render(Report report, Instant at) {
        StringBuilder out = new StringBuilder();
        report.errors().forEach(e -> out.append("# error: ").append(e.replace("\n", "\n#   ")).append('\n'));
        if (report.guardrails() != null) {
            out.append("# ").append(report.guardrails().line()).append('\n');
        }
        report.warnings().forEach(w -> out.append("# warning: ").append(w.replace("\n", "\n#   ")).append('\n'));
        report.notes().forEach(n -> out.append("# note: ").append(n.replace("\n", "\n#   ")).append('\n'));
        if (!report.errors().isEmpty()) {
            return out.toString(); // unusable input: a partial report applied to a cluster would read as complete
        }
        boolean first = true;
        for (ObjectNode doc : reports(report.findings(), at)) {
            if (!first) {
                out.append("---\n");
            }
            first = false;
            try {
                out.append(YAML.writeValueAsString(doc));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tree of strings always serialises", e);
            }
        }
        return out.toString();
    }

    /**
     * The reports as objects ready to apply: the ClusterPolicyReport first (when a finding is
     * cluster-scoped), then a PolicyReport per namespace in name order.
     */
    public static List<ObjectNode> reports(List<Finding> findings, Instant at) {
        List<Finding> cluster = new ArrayList<>();
        Map<String, List<Finding>> byNamespace = new TreeMap<>();
        for (Finding f : findings) {
            if (f.namespace().isEmpty()) {
                cluster.add(f);
            } else {
                byNamespace.computeIfAbsent(f.namespace(), k -> new ArrayList<>()).add(f);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        if (!cluster.isEmpty()) {
            out.add(report("ClusterPolicyReport", null, cluster, at));
        }
        byNamespace.forEach((ns, list) -> out.add(report("PolicyReport", ns, list, at)));
        return out;
    }

    /** A report for one namespace (null: the ClusterPolicyReport), with a result per line of each finding. */
    public static ObjectNode report(String kind, String namespace, List<Finding> findings, Instant at) {
        ObjectNode doc = NODES.objectNode();
        doc.put("apiVersion", API_VERSION).put("kind", kind);
        ObjectNode meta = doc.putObject("metadata").put("name", NAME);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        meta.putObject("labels").put("app.kubernetes.io/managed-by", "idgate");
        Map<String, Integer> summary = new LinkedHashMap<>();
        for (String r : List.of("pass", "fail", "warn", "error", "skip")) {
            summary.put(r, 0);
        }
        ArrayNode results = NODES.arrayNode();
        for (Finding f : findings) {
            if (f.messages().isEmpty()) {
                boolean guardrails = guardrails(f);
                result(results, f, at, guardrails ? GUARDRAILS : POD_IDENTITY, guardrails ? "guardrails" : "identity", "pass",
                        guardrails ? "no guardrail violation" : "identity keys as idgate derives them");
                summary.merge("pass", 1, Integer::sum);
                continue;
            }
            for (Message m : f.messages()) {
                String outcome = m.severity() == Action.DENY ? "fail" : "warn";
                String rule = SarifReport.ruleId(m).substring("idgate/".length());
                ObjectNode r = result(results, f, at, m.violation() != null ? m.violation().rule() : POD_IDENTITY, rule, outcome, m.text());
                r.put("severity", switch (m.severity()) {
                    case DENY -> "high";
                    case WARN -> "medium";
                    case AUDIT -> "low";
                });
                ObjectNode props = r.putObject("properties");
                props.put("action", m.severity().wire());
                if (m.violation() != null) {
                    props.put("configMap", m.violation().configMap()).put("fieldPath", m.violation().fieldPath());
                }
                if (f.document() > 0) {
                    props.put("file", f.source()).put("document", String.valueOf(f.document()));
                    if (f.line() > 0) {
                        props.put("line", String.valueOf(f.line()));
                    }
                }
                summary.merge(outcome, 1, Integer::sum);
            }
        }
        ObjectNode s = doc.putObject("summary");
        summary.forEach(s::put);
        doc.set("results", results);
        return doc;
    }

    private static ObjectNode result(ArrayNode results, Finding f, Instant at, String policy, String rule, String outcome, String message) {
        ObjectNode r = results.addObject();
        r.put("source", SOURCE).put("policy", policy).put("rule", rule).put("result", outcome)
                .put("category", guardrails(f) ? "NetworkPolicy guardrails" : "Pod identity")
                .put("message", message);
        r.putObject("timestamp").put("seconds", at.getEpochSecond()).put("nanos", 0);
        ObjectNode resource = r.putArray("resources").addObject();
        resource.put("apiVersion", apiVersion(f.kind())).put("kind", f.kind()).put("name", f.name());
        if (!f.namespace().isEmpty()) {
            resource.put("namespace", f.namespace());
        }
        return r;
    }

    /** NetworkPolicies and namespaces are judged by guardrails; everything else is a pod (template) and its identity. */
    private static boolean guardrails(Finding f) {
        return f.kind().equals("NetworkPolicy") || f.kind().equals("Namespace");
    }

    /** The apiVersion of the kinds idgate reports on. */
    static String apiVersion(String kind) {
        return switch (kind) {
            case "NetworkPolicy" -> "networking.k8s.io/v1";
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" -> "apps/v1";
            case "Job", "CronJob" -> "batch/v1";
            default -> "v1";
        };
    }
}
