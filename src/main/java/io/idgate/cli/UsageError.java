package io.idgate.cli;

/** A problem with the command line or its inputs, shown as it is; exit 2. */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message, null, false, false);
    }
}
