package io.idgate;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusBindException;
import java.net.BindException;
import java.util.Optional;
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
        Optional<String> port = failure == null ? Optional.empty() : portInUse(failure);
        if (port.isPresent()) {
            System.err.println("idgate: " + port.get());
            System.err.flush();
            System.exit(1);
        }
        ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(code, failure);
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
