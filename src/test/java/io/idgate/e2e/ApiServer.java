package io.idgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real API server over plain HTTP as its admin (the static token of e2e/kube.sh), for fault tests
 * that need many requests quickly or their exact timing: kubectl costs a process per call.
 */
final class ApiServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the API server answered, and how long the round trip took. */
    record Response(int status, JsonNode body, long millis) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The Status message of a refusal (what kubectl prints after "Error from server"). */
        String message() {
            return body.path("message").asText();
        }
    }

    private final HttpClient http;
    private final String base;
    private final String token;

    ApiServer(E2eCluster k8s) {
        Map<String, String> env = k8s.apiserverEnv();
        this.base = env.get("KUBE_E2E_APISERVER");
        this.token = env.get("KUBE_E2E_TOKEN");
        this.http = HttpClient.newBuilder().sslContext(E2eCluster.trusting(Path.of(env.get("KUBE_E2E_CA"))))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The API server's port on 127.0.0.1 (for a proxy in front of it). */
    int port() {
        return URI.create(base).getPort();
    }

    Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    private Response send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request.header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Response(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()), millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
