package io.idgate;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Keeps Quarkus's report of a port in use off the console ({@code quarkus.log.console.filter}):
 * {@link ServerProcess} says it in one line instead. Quarkus logs it on {@code io.quarkus.runtime.Application}
 * as a stack trace ending in a {@link java.net.BindException} (the management port), or as warnings
 * without an exception (the webhook port: "Port 8443 seems to be in use", "kill -9 &lt;pid&gt;"), the
 * only warnings without an exception that logger writes. Everything else passes.
 */
@LoggingFilter(name = "port-in-use")
public final class PortInUseLogFilter implements Filter {

    private static final String QUARKUS_START = "io.quarkus.runtime.Application";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!QUARKUS_START.equals(record.getLoggerName()) || record.getLevel().intValue() < Level.WARNING.intValue()) {
            return true;
        }
        return record.getThrown() != null && !ServerProcess.bindFailure(record.getThrown());
    }
}
