package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: a guardrail ConfigMap edited again and again while NetworkPolicy reviews stream in. Each
 * version changes two rules at once, in two data keys, and renames them; every answer must be the
 * verdict of exactly one whole version: never one rule of each, never old and new rules together.
 */
@Tag("e2e")
class GuardrailChurnE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();
    private static final String NAMESPACE = "faults-churn";
    private static final String CONFIGMAP = "/api/v1/namespaces/idgate-system/configmaps/faults-churn";
    private static final int SWITCHES = 16;
    /** How long each version stays after clients saw it: answers on both sides of every switch. */
    private static final long DWELL_MILLIS = 250;
    private static final int CLIENTS = 2;
    private static final Pattern RULE = Pattern.compile("^\\[([^ \\]]+) ");

    /** The verdict of each version on the policy below, as the set of rule:action it reports. */
    private static final Map<String, String> VERSIONS = Map.of(
            "A", "[churn-peers-a:deny, churn-ports-a:deny]",
            "B", "[churn-peers-b:warn, churn-ports-b:warn]");

    @Test
    void everyAnswerIsTheVerdictOfOneWholeVersion() throws Exception {
        k8s.namespace(NAMESPACE);
        var api = new ApiServer(k8s);
        var created = api.post("/api/v1/namespaces/idgate-system/configmaps", configMap("a", "deny"));
        assertTrue(created.ok() || created.status() == 409, created.body().toString());
        assertTrue(api.put(CONFIGMAP, configMap("a", "deny")).ok());
        HttpClient client = k8s.client();
        E2eCluster.await("version A in force", () -> VERSIONS.get("A").equals(verdict(client)));

        Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
        AtomicReference<String> latest = new AtomicReference<>(VERSIONS.get("A"));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    String verdict;
                    try {
                        verdict = verdict(client);
                    } catch (RuntimeException | AssertionError e) {
                        verdict = "error: " + e.getMessage(); // counted, so the test shows it
                    }
                    answers.computeIfAbsent(verdict, v -> new AtomicLong()).incrementAndGet();
                    latest.set(verdict);
                }
            }, "churn-client-" + i);
            t.start();
            clients.add(t);
        }
        long start = System.nanoTime();
        List<Long> seenAfter = new ArrayList<>();
        try {
            for (int i = 1; i <= SWITCHES; i++) {
                boolean toB = i % 2 == 1;
                var put = api.put(CONFIGMAP, toB ? configMap("b", "warn") : configMap("a", "deny"));
                assertTrue(put.ok(), put.body().toString());
                String target = VERSIONS.get(toB ? "B" : "A");
                // the clients' own answers say when the switch is in force; then the next one
                seenAfter.add(E2eCluster.await("switch " + i + " in force", () -> target.equals(latest.get())));
                FaultKit.sleep(DWELL_MILLIS);
            }
        } finally {
            stop.set(true);
            for (Thread t : clients) {
                t.join(10_000);
            }
            api.delete(CONFIGMAP);
        }
        long total = answers.values().stream().mapToLong(AtomicLong::get).sum();
        E2eCluster.log("guardrail churn: %d switches (applied in %s ms), %d answers in %.1f s: %s", SWITCHES, seenAfter, total,
                (System.nanoTime() - start) / 1e9, answers);
        Map<String, Long> mixed = new TreeMap<>();
        answers.forEach((verdict, n) -> {
            if (!VERSIONS.containsValue(verdict)) {
                mixed.put(verdict, n.get());
            }
        });
        assertEquals(Map.of(), mixed, "answers that are no single version");
        assertTrue(answers.get(VERSIONS.get("A")).get() > 0 && answers.get(VERSIONS.get("B")).get() > 0, "both versions answered");
    }

    /** The answer to the policy below as a set of rule:action, in a stable order. */
    private static String verdict(HttpClient client) {
        JsonNode response = FaultKit.review(client, k8s, "/validate/networkpolicies", FaultKit.networkPolicyReview(NAMESPACE, "web",
                "{\"podSelector\":{},\"policyTypes\":[\"Ingress\"],\"ingress\":[{\"from\":[{\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}}}]}]}"));
        TreeSet<String> rules = new TreeSet<>();
        for (String line : response.path("status").path("message").asText("").split("\n")) {
            add(rules, line, "deny");
        }
        for (JsonNode warning : response.path("warnings")) {
            add(rules, warning.asText(), "warn");
        }
        return rules.toString();
    }

    private static void add(TreeSet<String> rules, String line, String action) {
        Matcher m = RULE.matcher(line);
        // only this test's rules: other suites' guardrails (e.g. the examples') may also apply here
        if (m.find() && m.group(1).startsWith("churn-")) {
            rules.add(m.group(1) + ":" + action);
        }
    }

    /**
     * Version {@code suffix}: a rule per data key (ports, identity peers), both named after the version
     * and both with {@code action}: a half-applied version would show in the names or the actions.
     */
    private static String configMap(String suffix, String action) {
        String rule = "rules:\\n  - name: churn-%s-" + suffix + "\\n    action: " + action
                + "\\n    match: {namespaces: [faults-churn]}\\n    require: {%s: true}\\n";
        return """
                {"apiVersion":"v1","kind":"ConfigMap",
                 "metadata":{"name":"faults-churn","namespace":"idgate-system","labels":{"idgate.io/guardrails":"true"}},
                 "data":{"ports.yaml":"%s","peers.yaml":"%s"}}
                """.formatted(rule.formatted("ports", "ports"), rule.formatted("peers", "identityPeers"));
    }
}
