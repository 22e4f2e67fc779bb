package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code idgate audit}, {@code idgate reach --cluster} and {@code idgate check --as} with no kubeconfig fail at once with one line
 * saying what is missing and how to give it; they used to wait 20 s on kubernetes.default.svc first.
 * The real command in a child JVM, with an empty HOME and no KUBECONFIG.
 */
class ClusterCommandsWithoutKubeconfigTest {

    /** Starting a JVM takes a few seconds on a busy machine; the old wait was 20 s and more. */
    private static final Duration BOUND = Duration.ofSeconds(12);

    @TempDir
    Path home;

    @ParameterizedTest(name = "idgate {0}")
    @ValueSource(strings = {"audit", "reach list --cluster",
            "check -f src/test/resources/cli/inputs/a-workload-in-a-namespace-service-account-use-covers --as eve"})
    void noKubeconfigFailsAtOnceNamingTheFix(String command) throws Exception {
        Result r = run(command, null);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.took().compareTo(BOUND) < 0, "took " + r.took());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals("error: no kubeconfig found: KUBECONFIG is not set and " + home.resolve(".kube/config") + " does not exist, and idgate"
                + " is not running in a pod; set KUBECONFIG=/path/to/kubeconfig (or write ~/.kube/config, e.g. with your cloud's"
                + " get-credentials command), and choose a context with --context NAME", errors.get(0));
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + r.err());
    }

    @ParameterizedTest(name = "idgate {0}")
    @ValueSource(strings = {"audit"})
    void aKubeconfigWithoutCurrentContextFailsAtOnceNamingContext(String command) throws Exception {
        Path kubeconfig = home.resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://10.255.255.1:6443"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: ctx, context: {cluster: c, user: u}}]
                """);
        Result r = run(command, kubeconfig.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.took().compareTo(BOUND) < 0, "took " + r.took());
        assertTrue(r.err().contains("error: the kubeconfig (" + kubeconfig + ") has no current-context; pass --context NAME"), r.err());
    }

    private record Result(int exit, String err, Duration took) {}

    private Result run(String command, String kubeconfig) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.idgate.Main"));
        argv.addAll(List.of(command.split(" ")));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("KUBE"));
        pb.environment().put("HOME", home.toString());
        if (kubeconfig != null) {
            pb.environment().put("KUBECONFIG", kubeconfig);
        }
        long start = System.nanoTime();
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), new String(err, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
    }
}
