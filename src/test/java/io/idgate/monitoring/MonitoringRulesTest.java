package io.idgate.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/monitoring: the alert rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}, every alert once firing and once silent), the PrometheusRule carries
 * exactly the rules file, and every expression of the rules and the dashboard names a metric idgate
 * or the API server exports. promtool comes from Debian's {@code prometheus} package (.ci/run
 * installs it); without it the promtool tests skip, saying so.
 */
class MonitoringRulesTest {

    private static final Path DIR = Path.of("k8s/monitoring");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The API server's own series the monitoring reads (apiserver/pkg/admission/metrics), and Prometheus's up. */
    private static final Set<String> EXTERNAL = Set.of("up",
            "apiserver_admission_webhook_admission_duration_seconds_bucket",
            "apiserver_admission_webhook_rejection_count",
            "apiserver_admission_webhook_fail_open_count");

    @Test
    void promtoolChecksTheRules() throws Exception {
        String out = promtool("check", "rules", "idgate-rules.yaml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        String out = promtool("test", "rules", "idgate-rules.test.yaml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void everyAlertIsTestedFiringAndSilent() throws IOException {
        JsonNode tests = YAML.readTree(DIR.resolve("idgate-rules.test.yaml").toFile()).path("tests");
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : tests) {
            for (JsonNode t : test.path("alert_rule_test")) {
                (t.path("exp_alerts").isEmpty() ? silent : fires).add(t.path("alertname").asText());
            }
        }
        Set<String> alerts = new TreeSet<>();
        for (JsonNode rule : rules()) {
            alerts.add(rule.path("alert").asText());
            for (String key : List.of("summary", "description", "runbook")) {
                assertFalse(rule.path("annotations").path(key).asText().isBlank(), rule.path("alert") + " has no " + key);
            }
        }
        assertEquals(alerts, fires, "alerts tested firing");
        assertEquals(alerts, silent, "alerts tested silent");
    }

    @Test
    void thePrometheusRuleCarriesTheRulesFile() throws IOException {
        JsonNode rule = YAML.readTree(DIR.resolve("prometheusrule.yaml").toFile());
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        assertEquals(YAML.readTree(DIR.resolve("idgate-rules.yaml").toFile()), rule.path("spec"),
                "prometheusrule.yaml's spec must equal idgate-rules.yaml (the source of truth): copy its groups over");
    }

    @Test
    void everyExpressionNamesAnExportedMetric() throws IOException {
        Set<String> exported = idgateMetrics();
        // the names of design section 5 and docs/reference.md "Metrics" must be among what the code registers
        for (String m : List.of("idgate_admission_requests_total", "idgate_admission_duration_seconds_bucket",
                "idgate_guardrail_violations_total", "idgate_guardrails_configmaps", "idgate_serviceaccount_lookups_total",
                "idgate_tls_certificate_expiry_seconds", "idgate_identity_tokens_total", "idgate_audit_violations", "idgate_audit_stale_pods",
                "idgate_service_account_use_checks_total", "idgate_service_account_use_review_duration_seconds_bucket")) {
            assertTrue(exported.contains(m), m + " not found among the meters the code registers: " + exported);
        }
        Set<String> known = new TreeSet<>(exported);
        known.addAll(EXTERNAL);
        List<String> expressions = new ArrayList<>();
        rules().forEach(r -> expressions.add(r.path("expr").asText()));
        JsonNode dashboard = JSON.readTree(DIR.resolve("idgate-dashboard.json").toFile());
        assertEquals("datasource", dashboard.path("templating").path("list").path(0).path("type").asText(), "the datasource is a variable");
        Set<String> panels = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel.path("title").asText());
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
            assertFalse(panel.path("targets").isEmpty(), panel.path("title") + " has no query");
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        }
        assertEquals(panels.size(), dashboard.path("panels").size(), "panel titles are unique");
        Set<String> used = new TreeSet<>();
        for (String expr : expressions) {
            List<String> names = metricNames(expr);
            assertFalse(names.isEmpty(), "no metric in " + expr);
            for (String name : names) {
                assertTrue(known.contains(name), name + " (in " + expr + ") is exported by neither idgate nor the API server");
                used.add(name);
            }
        }
        for (String m : List.of("idgate_admission_requests_total", "idgate_admission_duration_seconds_bucket", "idgate_guardrails_configmaps",
                "idgate_tls_certificate_expiry_seconds", "idgate_serviceaccount_lookups_total", "idgate_guardrail_violations_total",
                "apiserver_admission_webhook_admission_duration_seconds_bucket", "apiserver_admission_webhook_rejection_count",
                "apiserver_admission_webhook_fail_open_count")) {
            assertTrue(used.contains(m), m + " is on no panel and in no alert");
        }
    }

    @Test
    void metricNamesAreReadOutOfPromQl() {
        assertEquals(List.of("idgate_admission_duration_seconds_bucket"),
                metricNames("histogram_quantile(0.99, sum by (webhook, le) (rate(idgate_admission_duration_seconds_bucket[$__rate_interval])))"));
        assertEquals(List.of("up"), metricNames("absent(up{job=\"idgate\"})"));
        assertEquals(List.of("x_total", "y"), metricNames("sum(rate(x_total{a=\"b\"}[5m])) > 2 * min by (instance) (y) < 7 * 86400"));
    }

    private static List<JsonNode> rules() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        YAML.readTree(DIR.resolve("idgate-rules.yaml").toFile()).path("groups").forEach(g -> g.path("rules").forEach(out::add));
        return out;
    }

    private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "by", "without", "rate", "increase",
            "irate", "histogram_quantile", "absent", "and", "or", "unless", "on", "ignoring", "group_left", "group_right", "bool", "offset",
            "le", "topk", "bottomk", "clamp_min", "clamp_max", "label_replace", "time", "vector", "scalar");

    /** The metric names of a PromQL expression: identifiers not inside quotes, {}, [] or a by/without list, and not functions. */
    static List<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"") // strings
                .replaceAll("\\{[^}]*}", "") // label matchers
                .replaceAll("\\[[^]]*]", "") // ranges
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", ""); // grouping labels
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
        while (m.find()) {
            String word = m.group();
            boolean call = s.substring(m.end()).stripLeading().startsWith("(");
            if (!call && !PROMQL_WORDS.contains(word) && !out.contains(word)) {
                out.add(word);
            }
        }
        return out;
    }

    private static final Pattern METER = Pattern.compile(
            "(Counter|Timer|Gauge|MultiGauge)\\.builder\\(\"(idgate\\.[a-z.]+)\"|\\.gauge\\(\"(idgate\\.[a-z.]+)\"");

    /**
     * The Prometheus names of every meter registered under src/main (AdmissionMetrics, AdmissionBeans,
     * CertificateExpiry, AuditGauges, ...), named as Micrometer's Prometheus registry names them:
     * dots to underscores, counters {@code _total}, timers {@code _seconds} with {@code _bucket/_count/_sum/_max},
     * a gauge with base unit seconds {@code _seconds}.
     */
    static Set<String> idgateMetrics() throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher m = METER.matcher(source);
                while (m.find()) {
                    String type = m.group(1) == null ? "Gauge" : m.group(1);
                    String base = (m.group(2) != null ? m.group(2) : m.group(3)).replace('.', '_');
                    int end = source.indexOf(".register(", m.end());
                    boolean seconds = end > 0 && source.substring(m.end(), end).contains(".baseUnit(\"seconds\")");
                    switch (type) {
                        case "Counter" -> out.add(base + "_total");
                        case "Timer" -> List.of("_bucket", "_count", "_sum", "_max").forEach(s -> out.add(base + "_seconds" + s));
                        default -> out.add(seconds ? base + "_seconds" : base);
                    }
                }
            }
        }
        return out;
    }

    /** Runs promtool in k8s/monitoring; skips the test when it is not installed. */
    private static String promtool(String... args) throws IOException, InterruptedException {
        String path = System.getenv().getOrDefault("PATH", "");
        boolean found = Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, "promtool")));
        assumeTrue(found, "promtool not installed (Debian package prometheus; .ci/run installs it): alert rules not run through promtool");
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "promtool did not finish in 2 minutes");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
