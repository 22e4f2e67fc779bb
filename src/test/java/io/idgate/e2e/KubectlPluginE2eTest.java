package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl idgate ...} (bin/kubectl-idgate found on PATH by kubectl) is {@code bin/idgate ...}:
 * same output, same exit code. In the e2e group because it runs the built jar, which {@code make e2e}
 * builds; it needs no cluster.
 */
@Tag("e2e")
class KubectlPluginE2eTest {

    private static final Path BIN = E2eCluster.ROOT.resolve("bin");

    @TempDir
    Path dir;

    @Test
    void kubectlIdgateCheckIsIdgateCheck() {
        String[] check = {"check", "-f", "examples/cluster", "-f", "examples/policies"};
        Run plugin = kubectl(BIN, prepend("idgate", check));
        Run launcher = run(List.of(BIN.resolve("idgate").toString()), check, System.getenv("PATH"));
        assertEquals(1, plugin.exit(), "deny violations, exit 1 through kubectl: " + plugin);
        assertEquals(launcher.out(), plugin.out());
        assertTrue(plugin.out().contains("idgate check: "), plugin.out());
    }

    @Test
    void kubectlIdgateHelpAndNoArgumentsShowTheCommands() {
        for (String[] args : List.of(new String[] {"idgate", "--help"}, new String[] {"idgate"})) {
            Run r = kubectl(BIN, args);
            assertEquals(0, r.exit(), r.toString());
            // no arguments would start the webhook server under bin/idgate; as a plugin it is the help
            assertTrue(r.out().startsWith("Usage: idgate [-hV] [COMMAND]"), r.out());
            assertTrue(r.out().contains("check") && r.out().contains("audit") && r.out().contains("reach"), r.out());
        }
    }

    @Test
    void kubectlPluginListFindsIt() {
        Run r = kubectl(BIN, "plugin", "list");
        assertTrue(r.out().lines().anyMatch(l -> l.equals(BIN.resolve("kubectl-idgate").toString())), r.toString());
    }

    @Test
    void symlinkedOntoPathItFindsTheLauncherAndTheJar() throws IOException {
        Path onPath = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(onPath.resolve("kubectl-idgate"), BIN.resolve("kubectl-idgate"));
        Run r = kubectl(onPath, "idgate", "--version");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("idgate "), r.out());
    }

    @Test
    void copiedWithoutIdgateHomeItSaysWhatToDo() throws IOException {
        Path onPath = Files.createDirectories(dir.resolve("bin"));
        Files.copy(BIN.resolve("kubectl-idgate"), onPath.resolve("kubectl-idgate"));
        Run r = kubectl(onPath, "idgate", "--version");
        assertEquals(2, r.exit(), r.toString());
        assertEquals("kubectl-idgate: no idgate launcher beside " + onPath.resolve("kubectl-idgate") + "; symlink this script onto PATH"
                + " rather than copying it, or set IDGATE_HOME to the idgate directory", r.err().strip());
    }

    private record Run(int exit, String out, String err) {}

    private static String[] prepend(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    /** Runs kubectl with {@code pathDir} first on PATH, from the project directory. */
    private static Run kubectl(Path pathDir, String... args) {
        return run(List.of(System.getenv().getOrDefault("KUBECTL", "kubectl")), args, pathDir + ":" + System.getenv("PATH"));
    }

    private static Run run(List<String> command, String[] args, String path) {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(E2eCluster.ROOT.toFile());
            pb.environment().put("PATH", path);
            Process p = pb.start();
            p.getOutputStream().close();
            // both streams are small (a few KB): read one after the other
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            return new Run(p.exitValue(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
