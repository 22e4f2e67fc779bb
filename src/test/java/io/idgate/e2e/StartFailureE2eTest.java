package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make run} that cannot start: its webhook port (PORT) or management port (MGMT_PORT) taken by
 * another process, a setting misspelt or given a value of the wrong form, the manifests missing. Each
 * says so in one line naming the port, setting or file and what to change, exits non-zero, and prints
 * no stack trace (with an exit handler of its own, Quarkus reports nothing: before, such a start
 * exited 1 in silence). Runs the Makefile's own command line (the jar already built: make -o).
 */
@Tag("e2e")
class StartFailureE2eTest {

    @Test
    void aTakenManagementPortIsOneLineNamingMgmtPort() throws Exception {
        int webhook = E2eCluster.freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String out = makeRun(webhook, taken.getLocalPort());
            assertOneLine(out, "idgate: port " + taken.getLocalPort() + " (management: health and metrics) is in use; free it, or set "
                    + "quarkus.management.port (make run MGMT_PORT=...)");
        }
    }

    @Test
    void aTakenWebhookPortIsOneLineNamingPort() throws Exception {
        int management = E2eCluster.freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String out = makeRun(taken.getLocalPort(), management);
            assertOneLine(out, "idgate: port " + taken.getLocalPort() + " (webhook, HTTPS) is in use; free it, or set quarkus.http.ssl-port "
                    + "(make run PORT=...)");
        }
    }

    @Test
    void aMisspeltSettingIsOneLineNamingIt() throws Exception {
        String out = makeRun(E2eCluster.freePort(), E2eCluster.freePort(), "-Didgate.reach.previw=false");
        assertOneLine(out, "idgate: setting idgate.reach.previw (a -D system property) is not one idgate has; check its spelling against "
                + "docs/reference.md (Settings), or remove it");
    }

    @Test
    void aValueOfTheWrongFormIsOneLineNamingSettingAndValue() throws Exception {
        String out = makeRun(E2eCluster.freePort(), E2eCluster.freePort(), "-Didgate.reach.preview-budget=fast");
        assertOneLine(out, "idgate: setting idgate.reach.preview-budget=\"fast\" is not valid (Invalid duration: fast); docs/reference.md "
                + "(Settings) gives its form");
    }

    @Test
    void missingManifestsAreOneLineNamingTheDirectory() throws Exception {
        String out = makeRun(E2eCluster.freePort(), E2eCluster.freePort(), "", "MANIFESTS=target/no-such-manifests");
        assertOneLine(out, "idgate: the manifests of idgate.manifests: target/no-such-manifests: no such file or directory");
    }

    private static String makeRun(int port, int managementPort) throws Exception {
        return makeRun(port, managementPort, "");
    }

    /**
     * {@code make run} on the given ports (127.0.0.1 only), {@code flags} added to the JVM's; its whole
     * output. Fails when it does not exit non-zero.
     */
    private static String makeRun(int port, int managementPort, String flags, String... makeVariables) throws Exception {
        StandaloneIdgate.jar();
        var log = StandaloneIdgate.DIR.resolve("make-run-" + port + "-" + managementPort + ".log");
        java.nio.file.Files.createDirectories(StandaloneIdgate.DIR);
        List<String> command = new java.util.ArrayList<>(List.of("make", "-s", "-o", "target/quarkus-app/quarkus-run.jar", "run",
                "PORT=" + port, "MGMT_PORT=" + managementPort,
                "JAVA=java -Dquarkus.http.host=127.0.0.1 -Dquarkus.management.host=127.0.0.1 " + flags));
        command.addAll(List.of(makeVariables));
        Process make = new ProcessBuilder(command)
                .directory(E2eCluster.ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!make.waitFor(60, TimeUnit.SECONDS)) {
            make.destroyForcibly().waitFor();
            throw new AssertionError("make run still running after 60 s although it cannot start: " + StandaloneIdgate.read(log));
        }
        String out = StandaloneIdgate.read(log);
        assertNotEquals(0, make.exitValue(), out);
        return out;
    }

    private static void assertOneLine(String out, String expected) {
        // besides idgate's start-up INFO lines, make's own error line ("make[1]: " when make runs under make, as in CI) and the certs step's note
        List<String> problems = out.lines().filter(l -> !l.contains(" INFO ") && !l.matches("make(\\[\\d+])?: .*") && !l.startsWith("certs: ")).toList();
        E2eCluster.log("make run that cannot start: %s", problems);
        assertEquals(List.of(expected), problems, "one line; whole output:\n" + out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")), "no stack trace:\n" + out);
    }
}
