package io.idgate.engine;

import io.idgate.guardrails.Action;
import io.idgate.guardrails.Violation;

/**
 * One line about one object, in the webhook's words.
 *
 * @param text      the line exactly as the webhook would answer it
 * @param violation the guardrail violation behind it, or null (identity messages)
 */
public record Message(Action severity, String text, Violation violation) {

    public static Message of(Violation v) {
        return new Message(v.action(), v.line(), v);
    }
}
