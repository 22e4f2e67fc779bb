package io.idgate.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.Finding;
import io.idgate.engine.Message;
import io.idgate.guardrails.Action;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -o sarif}: SARIF 2.1.0, as code-scanning services (GitHub, GitLab, Azure DevOps) read it. One
 * run, tool driver {@code idgate}; one result per deny, warn or audit line (level error, warning,
 * note); objects without a line give no result. Rule ids are stable: one per guardrail requirement
 * ({@code idgate/identityPeers}, ...) and one per identity problem ({@code idgate/pod-identity-key},
 * ...), so a scanning service tracks a finding across runs; the guardrail rule that raised it and
 * its ConfigMap are in the result's properties. Unusable inputs (exit 2) are
 * {@code toolExecutionNotifications} of the invocation, notes are notifications of level note.
 */
public final class SarifReport {

    public static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Rule id suffix and what a result of it means: every rule idgate can report, in a fixed order. */
    static final Map<String, String> RULES = rules();

    private SarifReport() {}

    private static Map<String, String> rules() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("identityPeers", "A pod peer of a NetworkPolicy selects by labels any pod author can set, not by an identity key");
        r.put("ingressFrom", "An ingress peer could select a pod whose identity the guardrail rule does not list");
        r.put("egressTo", "An egress peer could select a pod whose identity the guardrail rule does not list");
        r.put("ipBlocks", "An ipBlock peer reaches addresses outside the CIDRs the guardrail rule lists");
        r.put("noAllowAll", "A NetworkPolicy rule allows every source or destination");
        r.put("ports", "An ingress or egress rule of a NetworkPolicy names no ports");
        r.put("defaultDeny", "A namespace the guardrail rule guards has (or would be left with) no default-deny NetworkPolicy");
        r.put("immutableNamespaceSelectors", "A namespaceSelector is keyed on a label namespace owners can edit");
        r.put(io.idgate.engine.ServiceAccountUseCheck.RULE, "The user of check --as may not use the ServiceAccount the pod or workload runs as");
        r.put(Message.SERVICE_ACCOUNT, "The pod's ServiceAccount cannot be read: the webhook refuses the pod (or admits it without identity keys)");
        r.put(Message.IDENTITY_TOKEN, "An identity token on the pod's ServiceAccount does not verify, so its verified identity is not given");
        r.put(Message.IDENTITY_OVERRIDE, "The pod sets an identity key idgate owns; the webhook replaces it");
        r.put(Message.IDENTITY_MISSING, "A running pod carries no identity keys (it was never admitted through idgate)");
        r.put(Message.IDENTITY_KEY, "A running pod's identity key differs from a fresh derivation");
        r.put(Message.POD_INVALID, "The pod's labels or annotations are not maps of strings");
        return Collections.unmodifiableMap(r);
    }

    /** {@code idgate/<requirement>} for a guardrail violation, {@code idgate/<problem>} for an identity line. */
    public static String ruleId(Message m) {
        if (m.violation() != null) {
            return "idgate/" + m.violation().requirement();
        }
        return "idgate/" + (m.problem() != null ? m.problem() : "other");
    }

    static String render(Report report, String toolVersion) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SCHEMA).put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "idgate").put("version", toolVersion);
        ArrayNode rules = driver.putArray("rules");
        List<String> ids = RULES.keySet().stream().map(k -> "idgate/" + k).toList();
        RULES.forEach((key, text) -> {
            ObjectNode rule = rules.addObject().put("id", "idgate/" + key).put("name", key);
            rule.putObject("shortDescription").put("text", text);
            rule.putObject("properties").put("category", key.startsWith("pod-") || key.equals(io.idgate.engine.ServiceAccountUseCheck.RULE) ? "pod identity" : "NetworkPolicy guardrail");
        });

        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", report.errors().isEmpty()).put("exitCode", report.exitCode());
        ArrayNode notifications = invocation.putArray("toolExecutionNotifications");
        report.errors().forEach(e -> notifications.addObject().put("level", "error").putObject("message").put("text", e));
        report.warnings().forEach(w -> notifications.addObject().put("level", "warning").putObject("message").put("text", w));
        report.notes().forEach(n -> notifications.addObject().put("level", "note").putObject("message").put("text", n));
        ObjectNode properties = invocation.putObject("properties").put("command", "idgate " + report.command());
        if (report.guardrails() != null) {
            // what the run judged against: a scan that loaded no rules must not read as a clean one
            ObjectNode g = properties.putObject("guardrails");
            report.guardrails().configMaps().forEach(g.putArray("configMaps")::add);
            g.put("rules", report.guardrails().rules()).put("groups", report.guardrails().groups());
        }

        ArrayNode results = run.putArray("results");
        for (Finding f : report.findings()) {
            for (Message m : f.messages()) {
                String id = ruleId(m);
                ObjectNode r = results.addObject().put("ruleId", id);
                int index = ids.indexOf(id);
                if (index >= 0) {
                    r.put("ruleIndex", index);
                }
                r.put("level", level(m.severity()));
                r.putObject("message").put("text", m.text());
                ObjectNode location = r.putArray("locations").addObject();
                if (f.document() > 0) { // from a file; cluster objects have only the logical location
                    ObjectNode physical = location.putObject("physicalLocation");
                    physical.putObject("artifactLocation").put("uri", uri(f.source()));
                    if (f.line() > 0) {
                        physical.putObject("region").put("startLine", f.line());
                    }
                }
                location.putArray("logicalLocations").addObject()
                        .put("name", f.name())
                        .put("fullyQualifiedName", f.title())
                        .put("kind", "resource");
                ObjectNode props = r.putObject("properties");
                props.put("kind", f.kind()).put("namespace", f.namespace()).put("name", f.name()).put("action", m.severity().wire());
                if (f.document() > 0) {
                    props.put("document", f.document());
                }
                if (m.violation() != null) {
                    props.put("guardrailRule", m.violation().rule()).put("configMap", m.violation().configMap())
                            .put("fieldPath", m.violation().fieldPath()).put("fix", m.violation().fix());
                }
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /** deny fails the check (error), warn is admitted with a warning, audit is admitted and logged (note). */
    static String level(Action action) {
        return switch (action) {
            case DENY -> "error";
            case WARN -> "warning";
            case AUDIT -> "note";
        };
    }

    /** The file as a URI reference: relative paths stay relative (scanning services resolve them against the checkout). */
    static String uri(String path) {
        try {
            return new URI(null, null, path.replace('\\', '/'), null).toASCIIString();
        } catch (URISyntaxException e) {
            return path;
        }
    }
}
