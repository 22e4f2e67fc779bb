package io.idgate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.idgate.testing.TlsClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The image {@code make image} built (target/image/idgate-VERSION.tar), run the way a container
 * runtime runs it: the layers unpacked in order into a root filesystem, the entrypoint, user,
 * working directory and environment taken from the image's OCI config, the root mounted read-only
 * with a tmpfs on /tmp (the Deployment's readOnlyRootFilesystem and emptyDir), the serving
 * certificate mounted where the Deployment mounts its Secret, and the Deployment's own env. In a
 * mount and PID namespace ({@code unshare}, root): when the test kills the namespace's parent, every
 * process inside goes with it. Standalone (IDGATE_CLUSTER=none, the examples mounted), on 127.0.0.1.
 * {@code make image-test}; needs root, unshare, chroot, tar and openssl (the test certificates).
 */
@Tag("image")
class ImageTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path DIR = ROOT.resolve("target/image-test");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(90);

    private static JsonNode index;
    private static JsonNode manifest;
    private static JsonNode config;
    private static Path layout;
    private static Process container;
    private static int httpsPort;
    private static int managementPort;

    @BeforeAll
    static void unpack() throws Exception {
        String version = version();
        Path archive = ROOT.resolve("target/image/idgate-" + version + ".tar");
        if (!Files.isRegularFile(archive)) {
            fail(archive + " is missing: run `make image` (make image-test does)");
        }
        deleteTree(DIR);
        layout = Files.createDirectories(DIR.resolve("layout"));
        run(List.of("tar", "-xf", archive.toString(), "-C", layout.toString()));
        index = JSON.readTree(layout.resolve("index.json").toFile());
        manifest = JSON.readTree(blob(index.path("manifests").path(0).path("digest").asText()).toFile());
        config = JSON.readTree(blob(manifest.path("config").path("digest").asText()).toFile());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (container != null && container.isAlive()) {
            // the namespace's parent: with --kill-child its child (PID 1 inside) dies with it, and the
            // kernel ends every process of a PID namespace whose first process ends
            container.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theArchiveNamesTheImageK8sDeploys() throws Exception {
        JsonNode images = new YAMLMapper().readTree(ROOT.resolve("k8s/base/kustomization.yaml").toFile()).path("images").path(0);
        String ref = images.path("newName").asText() + ":" + images.path("newTag").asText();
        assertEquals(version(), images.path("newTag").asText(), "k8s/base/kustomization.yaml: the tag is the pom's version");
        JsonNode annotations = index.path("manifests").path(0).path("annotations");
        assertEquals(ref, annotations.path("io.containerd.image.name").asText(), "the name kind (containerd) loads");
        assertEquals(version(), annotations.path("org.opencontainers.image.ref.name").asText(), "the OCI layout's tag");
        JsonNode docker = JSON.readTree(layout.resolve("manifest.json").toFile());
        assertEquals(ref, docker.path(0).path("RepoTags").path(0).asText(), "the name docker load gives it");
        assertEquals("blobs/sha256/" + manifest.path("config").path("digest").asText().substring("sha256:".length()),
                docker.path(0).path("Config").asText());
        assertEquals(manifest.path("layers").size(), docker.path(0).path("Layers").size());
        assertTrue(Files.readString(layout.resolve("oci-layout")).contains("\"imageLayoutVersion\":\"1.0.0\""));
    }

    @Test
    void everyBlobMatchesItsDigestAndEveryLayerItsDiffId() throws Exception {
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        assertEquals(manifest.path("layers").size(), diffIds.size());
        for (int i = 0; i < manifest.path("layers").size(); i++) {
            JsonNode layer = manifest.path("layers").path(i);
            Path file = blob(layer.path("digest").asText());
            assertEquals(layer.path("digest").asText(), sha256(Files.newInputStream(file)), file.toString());
            assertEquals(layer.path("size").asLong(), Files.size(file));
            assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", layer.path("mediaType").asText());
            assertEquals(diffIds.path(i).asText(), sha256(new GZIPInputStream(Files.newInputStream(file))), "diff_id of layer " + i);
        }
    }

    @Test
    void theConfigRunsTheServerAsANonRootUser() {
        JsonNode c = config.path("config");
        assertEquals("185:185", c.path("User").asText(), "numeric: runAsNonRoot can check it");
        assertEquals("/deployments", c.path("WorkingDir").asText());
        assertEquals("[\"/usr/local/bin/idgate\"]", c.path("Entrypoint").toString());
        assertTrue(c.path("ExposedPorts").has("8443/tcp") && c.path("ExposedPorts").has("9000/tcp"), c.toString());
        assertEquals("linux", config.path("os").asText());
        assertEquals("amd64", config.path("architecture").asText());
    }

    /** The Deployment's preStop hook execs a command of the image (no sleep action: Kubernetes 1.29+ only). */
    @Test
    void theDeploymentsPreStopCommandIsInTheImage() throws Exception {
        JsonNode deployment = new YAMLMapper().readTree(ROOT.resolve("k8s/base/deployment.yaml").toFile());
        String command = deployment.at("/spec/template/spec/containers/0/lifecycle/preStop/exec/command/0").asText();
        assertFalse(command.isEmpty(), "k8s/base/deployment.yaml has an exec preStop hook");
        Path root = rootfs();
        String path = "";
        for (JsonNode e : config.path("config").path("Env")) {
            path = e.asText().startsWith("PATH=") ? e.asText().substring("PATH=".length()) : path;
        }
        // resolved as the runtime resolves an exec hook's command: through the image's PATH
        boolean found = java.util.Arrays.stream(path.split(":")).map(dir -> root.resolve(dir.substring(1)).resolve(command))
                .anyMatch(Files::isExecutable);
        assertTrue(found, command + " on the image's PATH " + path);
    }

    @Test
    void aSubcommandRunsTheCommandLine() throws Exception {
        String r = quote(rootfs().toString());
        JsonNode c = config.path("config");
        String script = String.join("\n", "set -e", "mount --make-rprivate /", "mount --bind " + r + " " + r,
                "mount -t tmpfs -o mode=1777,size=64m tmpfs " + r + "/tmp", "mount -t proc proc " + r + "/proc",
                "mount -t tmpfs -o mode=755,size=1m tmpfs " + r + "/dev",
                "for d in null zero full random urandom; do touch " + r + "/dev/$d; mount --bind /dev/$d " + r + "/dev/$d; done",
                "mount --bind -o ro " + quote(ROOT.resolve("examples/cluster").toString()) + " " + r + "/etc/idgate/manifests",
                "mount -o remount,bind,ro " + r,
                "chroot --userspec=" + c.path("User").asText() + " " + r + " /usr/bin/env -i --chdir=" + quote(c.path("WorkingDir").asText())
                        + " PATH=/usr/bin:/bin " + quote(c.path("Entrypoint").path(0).asText()) + " check -f /etc/idgate/manifests");
        Process p = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c", script)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("idgate check did not finish in 60 s:\n" + out);
        }
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("idgate check: 1 object: 0 denied"), out);
    }

    @Test
    void theEntrypointServesAReviewOnAReadOnlyRoot() throws Exception {
        Path rootfs = rootfs();
        // what the runtime and the Deployment mount: the Secret's certificate, the examples, /dev, /proc, /tmp
        Path certs = DIR.resolve("certs");
        run(List.of("certs/gen-certs.sh", "--out", certs.toString(), "--force"));
        // as a Secret volume presents them: world-readable (defaultMode 0644), the key too
        Path secret = Files.createDirectories(DIR.resolve("tls-secret"));
        for (String f : List.of("tls.crt", "tls.key", "ca.crt")) {
            Files.copy(certs.resolve(f), secret.resolve(f));
            Files.setPosixFilePermissions(secret.resolve(f), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        httpsPort = freePort();
        managementPort = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : config.path("config").path("Env")) {
            String[] kv = e.asText().split("=", 2);
            env.put(kv[0], kv[1]);
        }
        // the Deployment's own settings (the literal values; POD_NAMESPACE comes from the downward API)
        JsonNode deployment = new YAMLMapper().readTree(ROOT.resolve("k8s/base/deployment.yaml").toFile());
        for (JsonNode e : deployment.at("/spec/template/spec/containers/0/env")) {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        assertEquals("/etc/idgate/tls/tls.crt", env.get("quarkus.tls.key-store.pem.0.cert"), "where the test mounts the certificate");
        env.put("IDGATE_CLUSTER", "none");
        env.put("IDGATE_MANIFESTS", "/etc/idgate/manifests");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(httpsPort));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));

        JsonNode c = config.path("config");
        List<String> argv = new ArrayList<>();
        c.path("Entrypoint").forEach(a -> argv.add(a.asText()));
        c.path("Cmd").forEach(a -> argv.add(a.asText()));
        StringBuilder envArgs = new StringBuilder();
        env.forEach((k, v) -> envArgs.append(' ').append(quote(k + "=" + v)));
        String r = quote(rootfs.toString());
        // inside the new mount namespace: mounts first, then the root read-only (the submounts stay
        // as mounted: /tmp writable), then the entrypoint as the image's user in its working directory
        String script = String.join("\n",
                "set -e",
                "mount --make-rprivate /",
                "mount --bind " + r + " " + r,
                "mount -t tmpfs -o mode=1777,size=64m tmpfs " + r + "/tmp",
                "mount -t proc proc " + r + "/proc",
                "mount -t tmpfs -o mode=755,size=1m tmpfs " + r + "/dev",
                "for d in null zero full random urandom; do touch " + r + "/dev/$d; mount --bind /dev/$d " + r + "/dev/$d; done",
                "mount --bind -o ro " + quote(secret.toString()) + " " + r + "/etc/idgate/tls",
                "mount --bind -o ro " + quote(ROOT.resolve("examples/cluster").toString()) + " " + r + "/etc/idgate/manifests",
                "mount -o remount,bind,ro " + r,
                // the shell stays PID 1 (it keeps --kill-child's signal; the user switch would drop it)
                "chroot --userspec=" + c.path("User").asText() + " " + r + " /usr/bin/env -i --chdir=" + quote(c.path("WorkingDir").asText())
                        + envArgs + argv.stream().map(ImageTest::quote).reduce("", (a, b) -> a + " " + b) + " &",
                "wait $!");
        Path log = DIR.resolve("container.log");
        container = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
        while (true) {
            if (!container.isAlive()) {
                fail("the container exited " + container.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (plain.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                fail("not ready within " + START.toSeconds() + " s:\n" + Files.readString(log));
            }
            Thread.sleep(250);
        }

        HttpClient tls = HttpClient.newBuilder().sslContext(TlsClients.trusting(certs.resolve("ca.crt")))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> answer = tls.send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/mutate/pods"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofFile(ROOT.resolve("examples/reviews/mutate-pod.json"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode response = JSON.readTree(answer.body()).path("response");
        assertEquals("705ab4f5-6393-11e8-b7cc-42010a800002", response.path("uid").asText());
        assertTrue(response.path("allowed").asBoolean(), answer.body());
        assertEquals("JSONPatch", response.path("patchType").asText(), answer.body());
        String patch = new String(Base64.getDecoder().decode(response.path("patch").asText()), StandardCharsets.UTF_8);
        for (String expected : List.of(
                "{\"op\":\"replace\",\"path\":\"/metadata/labels/idgate.io~1service-account\",\"value\":\"ledger\"}",
                "{\"op\":\"add\",\"path\":\"/metadata/labels/idgate.io~1namespace\",\"value\":\"payments\"}",
                "{\"op\":\"add\",\"path\":\"/metadata/labels/groups.idgate.io~1payments\",\"value\":\"true\"}")) {
            assertTrue(patch.replace(" ", "").contains(expected), expected + " in " + patch);
        }
        String out = Files.readString(log);
        assertTrue(!out.contains("Read-only file system"), "wrote outside /tmp:\n" + out);
    }

    // ---- helpers ----

    private static Path rootfs;

    /** The layers unpacked in order, as a runtime's snapshotter does (no whiteouts in this image). */
    private static synchronized Path rootfs() throws Exception {
        if (rootfs == null) {
            Path dir = Files.createDirectories(DIR.resolve("rootfs"));
            for (JsonNode layer : manifest.path("layers")) {
                run(List.of("tar", "-xzf", blob(layer.path("digest").asText()).toString(), "-C", dir.toString(),
                        "--same-owner", "--numeric-owner", "-p"));
            }
            try (Stream<Path> files = Files.walk(dir)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".wh.")), "whiteouts: unpack them as a runtime would");
            }
            for (String mountPoint : List.of("etc/idgate/tls", "etc/idgate/manifests", "dev", "proc", "tmp")) {
                Files.createDirectories(dir.resolve(mountPoint));
            }
            rootfs = dir;
        }
        return rootfs;
    }

    private static String version() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        var m = java.util.regex.Pattern.compile("\n  <version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the project's version in pom.xml");
        return m.group(1);
    }

    private static Path blob(String digest) {
        assertTrue(digest.startsWith("sha256:"), digest);
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (in; DigestInputStream din = new DigestInputStream(in, md)) {
            din.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd + " did not finish in 120 s");
        }
        assertEquals(0, p.exitValue(), cmd + ":\n" + out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            // a mount left by a killed run would make rm fail loudly rather than delete through it
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
