package io.idgate.guardrails;

/** The admission operations the NetworkPolicy guardrail webhook is registered for. */
public enum Operation {
    CREATE,
    UPDATE,
    DELETE
}
