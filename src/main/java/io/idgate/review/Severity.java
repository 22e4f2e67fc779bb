package io.idgate.review;

import io.idgate.guardrails.Action;

/** How much a message weighs: deny fails a check, warn and audit are printed (and fail with {@code --strict}). */
public enum Severity {
    DENY,
    WARN,
    AUDIT;

    public static Severity of(Action action) {
        return switch (action) {
            case DENY -> DENY;
            case WARN -> WARN;
            case AUDIT -> AUDIT;
        };
    }

    /** {@code deny}, {@code warn}, {@code audit}: the spelling of guardrail actions. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
