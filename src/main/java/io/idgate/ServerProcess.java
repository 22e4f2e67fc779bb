package io.idgate;

import io.idgate.k8s.ManifestException;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusBindException;
import io.smallrye.config.ConfigValidationException;
import java.net.BindException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How the server process starts and ends, beyond what Quarkus does by itself.
 *
 * <p>SIGTERM (what the kubelet sends) stops idgate the way Quarkus stops on {@link Quarkus#asyncExit}:
 * readiness goes down, reviews are still served for {@code quarkus.shutdown.delay}, reviews in flight
 * are finished (up to {@code quarkus.shutdown.timeout}), and the process exits 0. Without this handler
 * the JVM's own one exits 143 after the same shutdown, which reads as a crash in pod status and logs.
 *
 * <p>A port already in use ends the start with one line that names the port and the setting that
 * moves it, and exit code 1; Quarkus's own report of it (a stack trace for the management port,
 * three lines with {@code kill -9} advice for the webhook port) is kept out of the console by
 * {@link PortInUseLogFilter}.
 */
final class ServerProcess {

    private ServerProcess() {}

    /** Starts the webhook server; returns only if the JVM is not exited by Quarkus. */
    static void run(String... args) {
        // sun.misc.Signal (module jdk.unsupported), as Quarkus's own handlers for QUIT and BREAK use it
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> Quarkus.asyncExit(0));
        Quarkus.run(null, ServerProcess::exit, args);
    }

    private static void exit(int code, Throwable failure) {
        if (failure != null) {
            // with an exit handler of its own, Quarkus says nothing about a failed start: this is the only report
            StartFailure report = startFailure(failure);
            report.lines().forEach(line -> System.err.println("idgate: " + line));
            if (report.unexpected()) {
                failure.printStackTrace();
            }
            System.err.flush();
            System.exit(1);
        }
        ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(code, failure);
    }

    /**
     * What a failed start tells the operator: one line per problem, naming the setting, file or port and
     * what to change; {@code unexpected} when it is none of those (then the stack trace follows).
     */
    record StartFailure(List<String> lines, boolean unexpected) {}

    private static final Pattern INVALID_VALUE = Pattern.compile(
            "(?:\\S+Exception: )?SRCFG00039: The config property (\\S+) with the config value \"(.*)\" threw an Exception whilst being converted(.*)",
            Pattern.DOTALL);
    private static final Pattern UNKNOWN_SETTING = Pattern.compile("SRCFG00050: (\\S+) in (\\S+) does not map to any root");

    static StartFailure startFailure(Throwable failure) {
        Optional<String> port = portInUse(failure);
        if (port.isPresent()) {
            return new StartFailure(List.of(port.get()), false);
        }
        Optional<ConfigValidationException> settings = find(failure, ConfigValidationException.class);
        if (settings.isPresent()) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < settings.get().getProblemCount(); i++) {
                String problem = settings.get().getProblem(i).getMessage();
                Matcher unknown = UNKNOWN_SETTING.matcher(problem);
                Matcher invalid = INVALID_VALUE.matcher(problem);
                lines.add(unknown.matches()
                        ? "setting " + unknown.group(1) + " (" + source(unknown.group(2)) + ") is not one idgate has; check its spelling against "
                                + "docs/reference.md (Settings), or remove it"
                        : invalid.matches()
                                ? "setting " + invalid.group(1) + "=\"" + invalid.group(2) + "\" is not valid (" + invalid.group(3).strip()
                                        + "); docs/reference.md (Settings) gives its form"
                                : "setting problem: " + problem);
            }
            return new StartFailure(lines, false);
        }
        Optional<ManifestException> manifests = find(failure, ManifestException.class);
        if (manifests.isPresent()) {
            return new StartFailure(List.of("the manifests of idgate.manifests: " + manifests.get().getMessage()), false);
        }
        Optional<NoSuchFileException> missing = find(failure, NoSuchFileException.class);
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !m.equals("Failed to start quarkus") && messages.stream().noneMatch(seen -> seen.contains(m))) {
                messages.add(m.strip());
            }
        }
        if (missing.isPresent()) {
            return new StartFailure(List.of("file " + missing.get().getFile() + " not found: " + String.join("; ", messages)), false);
        }
        if (messages.isEmpty()) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            messages.add(root.getClass().getName()); // a failure without a word: its type at least
        }
        return new StartFailure(List.of("failed to start: " + String.join("; ", messages)), true);
    }

    /** A SmallRye config source's name as an operator knows it. */
    private static String source(String name) {
        return switch (name) {
            case "SysPropConfigSource" -> "a -D system property";
            case "EnvConfigSource" -> "an environment variable";
            default -> name.startsWith("PropertiesConfigSource") ? "application.properties" : name;
        };
    }

    /** The one line for a start that failed because a port is taken; empty for any other failure. */
    static Optional<String> portInUse(Throwable failure) {
        if (!bindFailure(failure)) {
            return Optional.empty();
        }
        // Quarkus reports the webhook port with its number; the management interface is the only
        // other server idgate binds, and it fails with a plain BindException inside.
        var config = ConfigProvider.getConfig();
        Optional<QuarkusBindException> webhook = find(failure, QuarkusBindException.class);
        if (webhook.isEmpty()) {
            return Optional.of("port " + config.getValue("quarkus.management.port", Integer.class)
                    + " (management: health and metrics) is in use; free it, or set quarkus.management.port (make run MGMT_PORT=...)");
        }
        int port = webhook.get().getPort();
        if (port == config.getValue("quarkus.http.ssl-port", Integer.class)) {
            return Optional.of("port " + port + " (webhook, HTTPS) is in use; free it, or set quarkus.http.ssl-port (make run PORT=...)");
        }
        return Optional.of("port " + port + " (webhook, plain HTTP) is in use; free it, or set quarkus.http.port");
    }

    /** Whether {@code failure} is, at its root, a port that could not be bound. */
    static boolean bindFailure(Throwable failure) {
        return find(failure, BindException.class).isPresent();
    }

    private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
