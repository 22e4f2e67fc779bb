package io.idgate;

import io.quarkus.runtime.Quarkus;

/**
 * How the server process starts and ends, beyond what Quarkus does by itself.
 *
 * <p>SIGTERM (what the kubelet sends) stops idgate the way Quarkus stops on {@link Quarkus#asyncExit}:
 * readiness goes down, reviews are still served for {@code quarkus.shutdown.delay}, reviews in flight
 * are finished (up to {@code quarkus.shutdown.timeout}), and the process exits 0. Without this handler
 * the JVM's own one exits 143 after the same shutdown, which reads as a crash in pod status and logs.
 */
final class ServerProcess {

    private ServerProcess() {}

    /** Starts the webhook server; returns only if the JVM is not exited by Quarkus. */
    static void run(String... args) {
        // sun.misc.Signal (module jdk.unsupported), as Quarkus's own handlers for QUIT and BREAK use it
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> Quarkus.asyncExit(0));
        Quarkus.run(args);
    }
}
