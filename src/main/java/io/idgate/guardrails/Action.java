package io.idgate.guardrails;

import java.util.Locale;
import java.util.Optional;

/** What a rule does with its violations: deny the request, warn, or only audit (allow, annotate, count). */
public enum Action {
    /** {@code allowed: false}, HTTP code 403, every violation one line of the message. The default. */
    DENY,
    /** Allowed; the violation lines go to the response's {@code warnings}. */
    WARN,
    /** Allowed; violations go to {@code auditAnnotations}, the log and the metrics only. */
    AUDIT;

    /** The spelling used in guardrail ConfigMaps: {@code deny}, {@code warn}, {@code audit}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action spelled {@code text} exactly as in a ConfigMap (lower case), else empty. */
    public static Optional<Action> fromWire(String text) {
        for (Action a : values()) {
            if (a.wire().equals(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
