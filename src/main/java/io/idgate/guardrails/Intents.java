package io.idgate.guardrails;

import java.util.List;

/**
 * The {@code intents:} and {@code defaults:} of a document (design section 10), or of every guardrail
 * document merged: who may reach whom, and what the generated policies add around it.
 *
 * @param intents     in the order written
 * @param defaultDeny every namespace an intent names gets a default-deny policy
 * @param dns         egress to the cluster DNS (the pods of kube-system, UDP and TCP 53)
 *                    from every pod the generated policies isolate for egress
 * @param defaults    where {@code defaults:} was written ({@code null} when nowhere), for conflicts
 */
public record Intents(List<Intent> intents, boolean defaultDeny, boolean dns, String defaults) {

    /** No intents and no defaults. */
    public static final Intents NONE = new Intents(List.of(), false, false, null);

    public Intents {
        intents = List.copyOf(intents);
    }

    public boolean isEmpty() {
        return intents.isEmpty() && defaults == null;
    }
}
