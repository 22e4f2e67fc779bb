package io.idgate.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * {@code make bench}, guardrail {@code serviceAccountUse}: what the check adds to a {@code /validate/workloads}
 * review, sent straight to the idgate of the e2e harness (HTTPS, client certificate, one connection,
 * back to back) while that idgate asks the harness's real kube-apiserver (RBAC on). Three modes,
 * interleaved one review each in turn after a warm-up: a namespace the guardrail does not cover (no check: the baseline), a covered namespace
 * with one requester (the answer comes from the cache), and a covered namespace with a new requester
 * per review (every review waits for a SubjectAccessReview). The requesters may use the ServiceAccount
 * through their group, so every review is allowed.
 */
public final class ServiceAccountUseBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "bench-sau";
    private static final String OTHER = "bench-sau-other-ns";

    private ServiceAccountUseBench() {}

    public static ObjectNode run(int seconds) throws Exception {
        E2eCluster k8s = E2eCluster.get();
        k8s.namespace(NS);
        k8s.namespace(OTHER);
        k8s.kubectl("-n", NS, "create", "serviceaccount", "ledger");
        k8s.kubectl("-n", OTHER, "create", "serviceaccount", "ledger");
        var setup = k8s.kubectlIn(ServiceAccountUseE2eTest.guardrails("bench-service-account-use", NS) + "---\n"
                + ServiceAccountUseE2eTest.useLedger(NS, "devs-use-ledger", "Group", "bench-sau-devs"), "apply", "-f", "-");
        if (!setup.ok()) {
            throw new IllegalStateException("bench setup failed: " + setup);
        }
        HttpClient client = k8s.client();
        // the guardrail is in force once a requester outside the group is refused
        E2eCluster.await("serviceAccountUse in force", () -> !send(client, k8s, review(NS, "outsider", "nobody")).allowed());

        ObjectNode out = JSON.createObjectNode();
        out.put("apiserver", "kube-apiserver v1.20.2");
        out.put("seconds", seconds);
        out.put("cacheTtl", "10s (default)");
        ArrayNode modes = out.putArray("modes");
        int[] next = {0};
        List<Mode> all = List.of(
                new Mode("not covered (no check)", i -> review(OTHER, "bench-dev", "bench-sau-devs")),
                new Mode("cached answer", i -> review(NS, "bench-dev", "bench-sau-devs")),
                new Mode("SubjectAccessReview every review", i -> review(NS, "bench-dev-" + next[0]++, "bench-sau-devs")));
        // interleaved, one review of each mode in turn: a change of machine load (or of JIT state) hits all three alike
        measure(client, k8s, all, Math.max(2, seconds / 2)); // warm
        double[] before = sar(k8s.metrics());
        List<ObjectNode> rows = measure(client, k8s, all, seconds * all.size());
        double[] after = sar(k8s.metrics());
        double baseline = rows.get(0).path("p50_ms").asDouble();
        for (int i = 0; i < all.size(); i++) {
            ObjectNode row = rows.get(i);
            row.put("mode", all.get(i).name());
            row.put("addedP50_ms", row.path("p50_ms").asDouble() - baseline);
            if (i == all.size() - 1) { // only this mode asks the API server
                row.put("subjectAccessReviews", (long) (after[0] - before[0]));
                if (after[0] > before[0]) {
                    row.put("serverSarAvg_ms", (after[1] - before[1]) / (after[0] - before[0]) * 1e3);
                }
            } else {
                row.put("subjectAccessReviews", 0);
            }
            modes.add(row);
            System.out.printf("[bench] /validate/workloads, %s: p50 %.3f ms, p99 %.3f ms%n", all.get(i).name(),
                    row.path("p50_ms").asDouble(), row.path("p99_ms").asDouble());
        }
        k8s.kubectl("-n", "idgate-system", "delete", "configmap", "bench-service-account-use", "--ignore-not-found");
        return out;
    }

    private record Mode(String name, IntFunction<String> reviews) {}

    private record Answer(boolean allowed) {}

    /** {@code [count, sum seconds]} of idgate's answered SubjectAccessReviews. */
    private static double[] sar(String metrics) {
        return new double[] {FaultKit.metric(metrics, "idgate_service_account_use_review_duration_seconds_count{outcome=\"answered\"}"),
                FaultKit.metric(metrics, "idgate_service_account_use_review_duration_seconds_sum{outcome=\"answered\"}")};
    }

    /** Sends one review of each mode in turn until {@code seconds} pass; one row of latencies per mode. */
    private static List<ObjectNode> measure(HttpClient client, E2eCluster k8s, List<Mode> modes, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long[][] latencies = new long[modes.size()][4096];
        int[] refused = new int[modes.size()];
        int n = 0;
        while (System.nanoTime() < deadline) {
            for (int m = 0; m < modes.size(); m++) {
                String review = modes.get(m).reviews().apply(n);
                long start = System.nanoTime();
                boolean allowed = send(client, k8s, review).allowed();
                long took = System.nanoTime() - start;
                if (!allowed) {
                    refused[m]++;
                }
                if (n == latencies[m].length) {
                    latencies[m] = Arrays.copyOf(latencies[m], n * 2);
                }
                latencies[m][n] = took;
            }
            n++;
        }
        List<ObjectNode> rows = new java.util.ArrayList<>();
        for (int m = 0; m < modes.size(); m++) {
            long[] sorted = Arrays.copyOf(latencies[m], n);
            Arrays.sort(sorted);
            ObjectNode row = JSON.createObjectNode();
            row.put("reviews", n);
            row.put("refused", refused[m]);
            row.put("p50_ms", percentile(sorted, 50) / 1e6);
            row.put("p99_ms", percentile(sorted, 99) / 1e6);
            row.put("avg_ms", Arrays.stream(sorted).average().orElse(Double.NaN) / 1e6);
            rows.add(row);
        }
        return rows;
    }

    private static Answer send(HttpClient client, E2eCluster k8s, String review) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + k8s.port() + "/validate/workloads"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode() == 200 && JSON.readTree(r.body()).path("response").path("allowed").asBoolean());
        } catch (IOException e) {
            return new Answer(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false);
        }
    }

    /** A pod CREATE in {@code namespace} running as ServiceAccount ledger, sent by {@code user} of {@code group}. */
    static String review(String namespace, String user, String group) {
        return """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"%s",
                 "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
                 "namespace":"%s","name":"ledger-0","operation":"CREATE",
                 "userInfo":{"username":"%s","groups":["%s","system:authenticated"]},
                 "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"ledger-0","namespace":"%s"},
                  "spec":{"serviceAccountName":"ledger","containers":[{"name":"app","image":"registry.example.com/ledger:1"}]}}}}
                """.formatted(UUID.randomUUID(), namespace, user, group, namespace);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
