package io.idgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.k8s.ManifestException;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidationException.Problem;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report of a start that failed: each kind of cause, and what is not one of them. */
class ServerProcessStartFailureTest {

    private static RuntimeException started(Throwable cause) {
        return new RuntimeException("Failed to start quarkus", cause);
    }

    @Test
    void anUnknownSettingIsNamedWithWhereItCameFrom() {
        var report = ServerProcess.startFailure(started(new ConfigValidationException(new Problem[] {
                new Problem("SRCFG00050: idgate.reach.previw in SysPropConfigSource does not map to any root"),
                new Problem("SRCFG00050: idgate.tls.clientca in EnvConfigSource does not map to any root")})));
        assertEquals(List.of(
                "setting idgate.reach.previw (a -D system property) is not one idgate has; check its spelling against docs/reference.md (Settings), or remove it",
                "setting idgate.tls.clientca (an environment variable) is not one idgate has; check its spelling against docs/reference.md (Settings), or remove it"),
                report.lines());
        assertFalse(report.unexpected());
    }

    @Test
    void aValueOfTheWrongFormIsNamedWithTheValueAndWhy() {
        var report = ServerProcess.startFailure(started(new ConfigValidationException(new Problem[] {new Problem(
                "java.lang.IllegalArgumentException: SRCFG00039: The config property idgate.reach.preview-budget with the config value \"fast\""
                        + " threw an Exception whilst being converted Invalid duration: fast")})));
        assertEquals(List.of("setting idgate.reach.preview-budget=\"fast\" is not valid (Invalid duration: fast); docs/reference.md (Settings) gives its form"),
                report.lines());
        assertFalse(report.unexpected());
    }

    @Test
    void anyOtherSettingProblemIsPassedOn() {
        var report = ServerProcess.startFailure(started(new ConfigValidationException(new Problem[] {new Problem("SRCFG00014: The config property x is required")})));
        assertEquals(List.of("setting problem: SRCFG00014: The config property x is required"), report.lines());
    }

    @Test
    void brokenManifestsNameTheSetting() {
        var report = ServerProcess.startFailure(started(new ManifestException("/m/a.yaml:4:1 (document 1): not valid YAML")));
        assertEquals(List.of("the manifests of idgate.manifests: /m/a.yaml:4:1 (document 1): not valid YAML"), report.lines());
        assertFalse(report.unexpected());
    }

    @Test
    void aMissingFileIsNamedWithWhatNeededIt() {
        var report = ServerProcess.startFailure(started(new IllegalStateException("cannot read the key/certificate files",
                new NoSuchFileException("/etc/idgate/tls.crt"))));
        assertEquals(List.of("file /etc/idgate/tls.crt not found: cannot read the key/certificate files; /etc/idgate/tls.crt"), report.lines());
        assertFalse(report.unexpected());
    }

    @Test
    void anythingElseIsUnexpectedAndGetsItsStackTrace() {
        var report = ServerProcess.startFailure(started(new IllegalStateException("a bean failed", new NullPointerException())));
        assertEquals(List.of("failed to start: a bean failed"), report.lines());
        assertTrue(report.unexpected());
        assertEquals(List.of("failed to start: java.lang.NullPointerException"), ServerProcess.startFailure(started(new NullPointerException())).lines());
    }
}
