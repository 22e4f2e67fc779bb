package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/** What the fault tests share: reviews sent straight to idgate, metric values, a kubeconfig through a proxy. */
final class FaultKit {

    static final ObjectMapper JSON = new ObjectMapper();

    private FaultKit() {}

    /** A pod CREATE review (for /mutate/pods or /validate/pods); {@code labels} is a JSON object. */
    static String podReview(String namespace, String name, String serviceAccount, String labels) {
        return """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"%s",
                 "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
                 "namespace":"%s","name":"%s","operation":"CREATE","userInfo":{"username":"fault-test"},
                 "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s","labels":%s},
                  "spec":{"serviceAccountName":"%s","containers":[{"name":"app","image":"registry.example.com/app:1"}]}}}}
                """.formatted(UUID.randomUUID(), namespace, name, name, namespace, labels, serviceAccount);
    }

    /** A NetworkPolicy CREATE review; {@code spec} is a JSON object. */
    static String networkPolicyReview(String namespace, String name, String spec) {
        return """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"%s",
                 "kind":{"group":"networking.k8s.io","version":"v1","kind":"NetworkPolicy"},
                 "resource":{"group":"networking.k8s.io","version":"v1","resource":"networkpolicies"},
                 "namespace":"%s","name":"%s","operation":"CREATE","userInfo":{"username":"fault-test"},
                 "object":{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"%s","namespace":"%s"},"spec":%s}}}
                """.formatted(UUID.randomUUID(), namespace, name, name, namespace, spec);
    }

    /** POSTs a review to idgate's webhook port; the AdmissionReview's {@code response}, after checking HTTP 200. */
    static JsonNode review(HttpClient client, E2eCluster k8s, String path, String review) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + k8s.port() + path))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body()).path("response");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The decoded JSON patch of an answer ("" when none). */
    static String patch(JsonNode response) {
        String patch = response.path("patch").asText("");
        return patch.isEmpty() ? "" : new String(Base64.getDecoder().decode(patch), StandardCharsets.UTF_8);
    }

    /** The value of one Prometheus series ({@code name{labels}}) in {@code metrics}; 0 when absent. */
    static double metric(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }

    /** idgate's kubeconfig (its ServiceAccount, impersonated) with the API server at 127.0.0.1:{@code port}. */
    static Path kubeconfigVia(int port) {
        YAMLMapper yaml = new YAMLMapper();
        try {
            ObjectNode config = (ObjectNode) yaml.readTree(E2eCluster.DIR.resolve("idgate.kubeconfig").toFile());
            ((ObjectNode) config.path("clusters").get(0).path("cluster")).put("server", "https://127.0.0.1:" + port);
            Path out = E2eCluster.DIR.resolve("idgate-via-" + port + ".kubeconfig");
            yaml.writeValue(out.toFile(), config);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
