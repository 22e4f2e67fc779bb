package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A real kube-apiserver + etcd on 127.0.0.1 (e2e/kube.sh, binary from $KUBE_ASSETS) with idgate
 * running beside it as a local process (the built jar), registered by the webhook configurations of
 * {@code k8s/base} with their {@code service} replaced by a {@code url}: what is tested is what ships.
 *
 * <p>idgate reads the cluster as its own ServiceAccount (impersonated), so the RBAC of
 * {@code k8s/base} is what it runs with. Started once per test JVM; stopped by a shutdown hook.
 */
final class E2eCluster {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DIR = ROOT.resolve("target/e2e");
    static final Path CERTS = DIR.resolve("certs");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** idgate's JVM flags in the e2e tests; a server measured beside it (the pod-create bench's echo webhook) gets idgate's ({@link #idgateJvm()}). */
    static final List<String> JVM = List.of("-Xmx256m");

    private static E2eCluster instance;

    private final Map<String, String> env = new HashMap<>();
    private final int port;
    private final int managementPort;
    private Process idgate;

    /** The running cluster, started on first use. */
    static synchronized E2eCluster get() {
        if (instance == null) {
            instance = new E2eCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
            instance.start();
        }
        return instance;
    }

    private E2eCluster() {
        this.port = freePort();
        this.managementPort = freePort();
    }

    /** What a command printed and how it ended. */
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private void start() {
        if (!Files.exists(ROOT.resolve("target/quarkus-app/quarkus-run.jar"))) {
            fail("target/quarkus-app/quarkus-run.jar is missing: run `make e2e` (it builds first)");
        }
        env.put("KUBE_BIN_DIR", DIR.resolve("bin").toString());
        env.put("KUBE_E2E_DIR", DIR.resolve("kube").toString());
        long t0 = System.nanoTime();
        requireOk(run(List.of("certs/gen-certs.sh", "--out", CERTS.toString(), "--force"), null));
        // The API server presents a client certificate to every webhook, and idgate requires one
        // (idgate.tls.client-ca): the whole suite runs the way a hardened cluster does.
        String extra = System.getenv().getOrDefault("KUBE_E2E_EXTRA_ARGS", "");
        env.put("KUBE_E2E_EXTRA_ARGS", (extra + " --admission-control-config-file=" + writeAdmissionConfig()).strip());
        requireOk(run(List.of("e2e/kube.sh", "assets"), null));
        requireOk(run(List.of("e2e/kube.sh", "start"), null));
        log("kube-apiserver + etcd ready in %.1f s", (System.nanoTime() - t0) / 1e9);
        env.put("KUBECONFIG", DIR.resolve("kube/kubeconfig").toString());

        // v1.20 does not set kubernetes.io/metadata.name (1.21+ does): set it where the webhooks'
        // namespaceSelector relies on it.
        kubectlOk("create", "namespace", "idgate-system");
        kubectlOk("label", "namespace", "idgate-system", "kubernetes.io/metadata.name=idgate-system");
        applyDocuments(shipped(List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")));
        writeIdgateKubeconfig();
        startIdgate();
        registerWebhooks();
        log("cluster and idgate ready in %.1f s", (System.nanoTime() - t0) / 1e9);
    }

    private void stop() {
        stopIdgate();
        run(List.of("e2e/kube.sh", "stop"), null);
    }

    // ---- idgate ----

    void startIdgate() {
        startIdgate(DIR.resolve("idgate.kubeconfig"), true);
    }

    /**
     * Starts idgate reading the cluster through {@code kubeconfig} (fault tests put a proxy in front of
     * the API server). Waits until it is ready, or, when {@code awaitReady} is false, only until its
     * management port answers.
     */
    void startIdgate(Path kubeconfig, boolean awaitReady) {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(idgateJvm);
        cmd.addAll(List.of("-Didgate.cluster=kubernetes", "-Didgate.guardrails.namespace=idgate-system",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.ssl-port=" + port, "-Dquarkus.http.insecure-requests=disabled",
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.tls.key-store.pem.0.cert=" + CERTS.resolve("tls.crt"), "-Dquarkus.tls.key-store.pem.0.key=" + CERTS.resolve("tls.key"),
                "-Didgate.tls.reload-check=500ms",
                "-Didgate.tls.client-ca=" + CERTS.resolve("client-ca.crt"), "-Didgate.tls.client-names=kube-apiserver",
                "-jar", "target/quarkus-app/quarkus-run.jar"));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(DIR.resolve("idgate.log").toFile()));
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            long t0 = System.nanoTime();
            idgate = pb.start();
            if (!awaitReady) {
                await("idgate started", () -> managementGet("/q/health/live") == 200);
                log("idgate started in %.1f s (port %d), readiness not awaited", (System.nanoTime() - t0) / 1e9, port);
                return;
            }
            await("idgate ready", () -> managementGet("/q/health/ready") == 200);
            log("idgate ready in %.1f s (port %d)", (System.nanoTime() - t0) / 1e9, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** idgate's JVM flags now: {@link #JVM}, unless a benchmark asked for others. */
    private List<String> idgateJvm = JVM;

    List<String> idgateJvm() {
        return idgateJvm;
    }

    /** Restarts idgate with {@code flags} (a benchmark measuring the shipped ones) unless it runs with them already. */
    void useIdgateJvm(List<String> flags) {
        if (!flags.equals(idgateJvm)) {
            idgateJvm = List.copyOf(flags);
            stopIdgate();
            startIdgate();
        }
    }

    /** The process id of the idgate this harness started (for its resident memory). */
    long idgatePid() {
        return idgate.pid();
    }

    void stopIdgate() {
        if (idgate != null && idgate.isAlive()) {
            idgate.destroy();
            try {
                if (!idgate.waitFor(20, TimeUnit.SECONDS)) {
                    idgate.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Fault tests: stops only kube-apiserver; etcd keeps the state for {@link #startApiServer()}. */
    void stopApiServer() {
        requireOk(run(List.of("e2e/kube.sh", "apiserver-stop"), null));
    }

    /** Starts kube-apiserver again on the same address, over the same etcd, and waits until it is ready. */
    void startApiServer() {
        requireOk(run(List.of("e2e/kube.sh", "apiserver-start"), null));
    }

    /** HTTP status of GET {@code path} on idgate's plain management port (health, metrics), or -1 when unreachable. */
    int managementGet(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String metrics() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The certificate idgate serves now (a fresh TLS handshake). */
    X509Certificate servedCertificate() {
        try (var socket = (javax.net.ssl.SSLSocket) sslContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** An HTTPS client for idgate's webhook port: use it (or {@link #sslContext()}) for every review sent directly. */
    HttpClient client() {
        return HttpClient.newBuilder().sslContext(sslContext()).connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** TLS towards idgate's webhook port: trusts the test CA and presents the API server's client certificate. */
    SSLContext sslContext() {
        return io.idgate.testing.TlsClients.presenting(CERTS.resolve("ca.crt"), CERTS.resolve("apiserver-client.crt"),
                CERTS.resolve("apiserver-client.key"));
    }

    /** A TLS context trusting only the CA certificate in {@code caFile}. */
    static SSLContext trusting(Path caFile) {
        return io.idgate.testing.TlsClients.trusting(caFile);
    }

    // ---- the shipped manifests ----

    /** The documents of {@code kubectl kustomize} k8s/base and k8s/webhooks whose kind is in {@code kinds}. */
    List<ObjectNode> shipped(List<String> kinds) {
        List<ObjectNode> docs = new ArrayList<>();
        for (String dir : List.of("k8s/base", "k8s/webhooks")) {
            Result built = kubectl("kustomize", dir);
            requireOk(built);
            try (var it = YAML.readerFor(ObjectNode.class).<ObjectNode>readValues(built.out())) {
                while (it.hasNext()) {
                    ObjectNode doc = it.next();
                    if (doc != null && kinds.contains(doc.path("kind").asText())) {
                        docs.add(doc);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return docs;
    }

    /** Registers idgate's webhooks (k8s/webhooks, each pointed at the local idgate) and waits until they take effect. */
    void registerWebhooks() {
        applyDocuments(webhookConfigurations("https://127.0.0.1:" + port));
        // Registration takes effect asynchronously: wait until a dry-run pod comes back labelled.
        await("webhooks effective", () -> {
            Result r = kubectl("-n", "default", "run", "probe", "--image=busybox", "--restart=Never", "--dry-run=server", "-o", "json");
            return r.ok() && r.out().contains("idgate.io/service-account");
        });
    }

    /**
     * idgate's webhook configurations as shipped (k8s/webhooks), each webhook's {@code service} replaced
     * by a URL under {@code baseUrl} (its path kept) and the test CA: rules, selectors, failurePolicy and
     * timeouts stay what ships, whichever server answers.
     */
    List<ObjectNode> webhookConfigurations(String baseUrl) {
        String caBundle;
        try {
            caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(CERTS.resolve("ca.crt")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ObjectNode> configs = shipped(List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"));
        for (ObjectNode config : configs) {
            for (JsonNode webhook : (ArrayNode) config.get("webhooks")) {
                String path = webhook.path("clientConfig").path("service").path("path").asText();
                ObjectNode clientConfig = ((ObjectNode) webhook).putObject("clientConfig");
                clientConfig.put("url", baseUrl + path);
                clientConfig.put("caBundle", caBundle);
            }
        }
        return configs;
    }

    /**
     * Registers an extra mutating webhook for pod CREATEs in {@code namespace} (failurePolicy Fail),
     * served at {@code url} with a certificate from the test CA. Delete it by {@code configName}.
     */
    void registerPodMutatingWebhook(String configName, String webhookName, String url, String namespace) {
        String caBundle;
        try {
            caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(CERTS.resolve("ca.crt")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kubectlOk("label", "namespace", namespace, "kubernetes.io/metadata.name=" + namespace, "--overwrite");
        requireOk(kubectlIn("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingWebhookConfiguration
                metadata: {name: %s}
                webhooks:
                  - name: %s
                    admissionReviewVersions: [v1]
                    sideEffects: None
                    failurePolicy: Fail
                    timeoutSeconds: 5
                    clientConfig: {url: "%s", caBundle: %s}
                    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %s}}
                    rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
                """.formatted(configName, webhookName, url, caBundle, namespace), "apply", "-f", "-"));
    }

    /** Removes idgate's webhook configurations and waits until the API server stops calling idgate. */
    void unregisterWebhooks() {
        deleteWebhookConfigurations();
        await("webhooks gone", () -> {
            Result r = kubectl("-n", "default", "run", "probe", "--image=busybox", "--restart=Never", "--dry-run=server", "-o", "json");
            return r.ok() && !r.out().contains("idgate.io/service-account");
        });
    }

    /** Deletes idgate's webhook configurations; the API server stops calling them asynchronously. */
    void deleteWebhookConfigurations() {
        kubectlOk("delete", "mutatingwebhookconfiguration/idgate", "validatingwebhookconfiguration/idgate", "--ignore-not-found");
    }

    /** The variables e2e/kube.sh wrote for clients: KUBE_E2E_APISERVER, KUBE_E2E_CA, KUBE_E2E_TOKEN. */
    Map<String, String> apiserverEnv() {
        Map<String, String> vars = new HashMap<>();
        try {
            for (String line : Files.readAllLines(DIR.resolve("kube/env"))) {
                if (line.startsWith("export ") && line.contains("=")) {
                    String assignment = line.substring("export ".length());
                    vars.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return vars;
    }

    /** Host:port the API server calls without a client certificate (a webhook URL on it is refused by idgate). */
    String hostPortWithoutClientCertificate() {
        return "localhost:" + port;
    }

    /**
     * The API server's admission configuration: a kubeconfig whose "*" user (any webhook host) presents
     * certs/gen-certs.sh's apiserver-client certificate, and one host:port with no credentials, for the
     * test that idgate refuses a caller without a certificate.
     */
    private Path writeAdmissionConfig() {
        try {
            Path dir = Files.createDirectories(DIR.resolve("admission"));
            Path kubeconfig = dir.resolve("webhook-kubeconfig.yaml");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    users:
                      - name: "*"
                        user:
                          client-certificate: %s
                          client-key: %s
                      - name: "%s"
                        user: {}
                    """.formatted(CERTS.resolve("apiserver-client.crt"), CERTS.resolve("apiserver-client.key"), hostPortWithoutClientCertificate()));
            Path config = dir.resolve("admission-config.yaml");
            Files.writeString(config, """
                    apiVersion: apiserver.config.k8s.io/v1
                    kind: AdmissionConfiguration
                    plugins:
                      - name: ValidatingAdmissionWebhook
                        configuration:
                          apiVersion: apiserver.config.k8s.io/v1
                          kind: WebhookAdmissionConfiguration
                          kubeConfigFile: %1$s
                      - name: MutatingAdmissionWebhook
                        configuration:
                          apiVersion: apiserver.config.k8s.io/v1
                          kind: WebhookAdmissionConfiguration
                          kubeConfigFile: %1$s
                    """.formatted(kubeconfig));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeIdgateKubeconfig() {
        try {
            ObjectNode config = (ObjectNode) YAML.readTree(DIR.resolve("kube/kubeconfig").toFile());
            String token = Files.readString(DIR.resolve("kube/certs/admin.token")).strip();
            String cluster = config.path("clusters").get(0).path("name").asText();
            ObjectNode out = config.deepCopy();
            ArrayNode users = out.putArray("users");
            ObjectNode user = users.addObject();
            user.put("name", "idgate");
            // The admin token, impersonating idgate's ServiceAccount: every request is authorised as
            // system:serviceaccount:idgate-system:idgate, so the shipped RBAC is what idgate gets.
            user.putObject("user").put("token", token).put("as", "system:serviceaccount:idgate-system:idgate");
            ArrayNode contexts = out.putArray("contexts");
            contexts.addObject().put("name", "idgate").putObject("context").put("cluster", cluster).put("user", "idgate");
            out.put("current-context", "idgate");
            YAML.writeValue(DIR.resolve("idgate.kubeconfig").toFile(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void applyDocuments(List<ObjectNode> docs) {
        StringBuilder yaml = new StringBuilder();
        try {
            for (ObjectNode doc : docs) {
                yaml.append(YAML.writeValueAsString(doc));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requireOk(kubectlIn(yaml.toString(), "apply", "-f", "-"));
    }

    // ---- commands ----

    Result kubectl(String... args) {
        return kubectlIn(null, args);
    }

    Result kubectlIn(String stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getenv().getOrDefault("KUBECTL", "kubectl"));
        cmd.addAll(List.of(args));
        return run(cmd, stdin);
    }

    Result kubectlOk(String... args) {
        Result r = kubectl(args);
        requireOk(r);
        return r;
    }

    JsonNode kubectlJson(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        Result r = kubectlOk(all.toArray(String[]::new));
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates namespaces (fresh per test: a deleted namespace stays Terminating without a controller-manager). */
    void namespace(String... names) {
        List<String> cmd = new ArrayList<>(List.of("e2e/kube.sh", "ns"));
        cmd.addAll(List.of(names));
        requireOk(run(cmd, null));
    }

    /** Runs {@code cmd} in the project directory with the cluster's KUBECONFIG (admin). */
    Result command(List<String> cmd) {
        return run(cmd, null);
    }

    /** Runs {@code bin/idgate} with idgate's own kubeconfig (its ServiceAccount's RBAC). */
    Result idgateCli(String... args) {
        return idgateCli(DIR.resolve("idgate.kubeconfig"), args);
    }

    /** Runs {@code bin/idgate} with {@code kubeconfig}. */
    Result idgateCli(Path kubeconfig, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bin/idgate"));
        cmd.addAll(List.of(args));
        return run(cmd, null, Map.of("KUBECONFIG", kubeconfig.toString()));
    }

    /**
     * A kubeconfig in {@code dir} for a user of {@code subject} (e.g. {@code /O=system:masters/CN=someone})
     * whose client certificate the API server's client CA signed, over a key in {@code form}.
     */
    Path clientKubeconfig(Path dir, String subject, io.idgate.testing.ClientKeyFiles.Form form) {
        Path ca = DIR.resolve("kube/certs");
        Path key = io.idgate.testing.ClientKeyFiles.key(dir, form.name().toLowerCase(), form);
        Path crt = io.idgate.testing.ClientKeyFiles.certificate(key, subject, ca.resolve("ca.crt"), ca.resolve("ca.key"));
        return io.idgate.testing.ClientKeyFiles.kubeconfig(dir.resolve(form.name().toLowerCase() + ".kubeconfig"),
                apiserverEnv().get("KUBE_E2E_APISERVER"), ca.resolve("ca.crt"), crt, key);
    }

    private Result run(List<String> cmd, String stdin) {
        return run(cmd, stdin, Map.of());
    }

    private Result run(List<String> cmd, String stdin, Map<String, String> extraEnv) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
            pb.environment().putAll(env);
            pb.environment().putAll(extraEnv);
            Path out = Files.createTempFile("e2e", ".out");
            Path err = Files.createTempFile("e2e", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void requireOk(Result r) {
        if (!r.ok()) {
            fail("command failed: " + r);
        }
    }

    /** Polls {@code condition} every 100 ms for up to a minute; returns the milliseconds it took. */
    static long await(String what, java.util.function.BooleanSupplier condition) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > WAIT.toNanos()) {
                fail(what + ": not after " + WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[e2e] " + format + "%n", args);
    }

    static String yaml(JsonNode node) {
        try {
            return new ObjectMapper(new YAMLFactory()).writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
