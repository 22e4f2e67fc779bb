package io.idgate.engine;

import io.idgate.guardrails.Action;
import io.idgate.identity.DerivedIdentity;
import java.util.List;

/**
 * What idgate says about one object.
 *
 * @param source         the file (or {@code cluster}) it came from
 * @param document       its 1-based YAML document in {@code source}; 0 for cluster objects
 * @param webhookAllows  what the webhook would answer for it with the same guardrails and ServiceAccounts
 * @param messages       deny, warn and audit lines, in the webhook's order
 * @param identity       the identity keys a pod (template) gets; null for other kinds
 * @param line           the 1-based line its document starts on in {@code source}; 0 when not known
 */
public record Finding(String kind, String namespace, String name, String source, int document, boolean webhookAllows,
        List<Message> messages, DerivedIdentity identity, int line) {

    public Finding {
        messages = List.copyOf(messages);
    }

    public Finding(String kind, String namespace, String name, String source, int document, boolean webhookAllows,
            List<Message> messages, DerivedIdentity identity) {
        this(kind, namespace, name, source, document, webhookAllows, messages, identity, 0);
    }

    /** The same finding, located at {@code line} of its source. */
    public Finding atLine(int line) {
        return new Finding(kind, namespace, name, source, document, webhookAllows, messages, identity, line);
    }

    public boolean has(Action severity) {
        return messages.stream().anyMatch(m -> m.severity() == severity);
    }

    public List<String> lines(Action severity) {
        return messages.stream().filter(m -> m.severity() == severity).map(Message::text).toList();
    }

    /** {@code Kind namespace/name}. */
    public String title() {
        return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    /** {@code file (document N)}, or the source alone for cluster objects. */
    public String location() {
        return document > 0 ? source + " (document " + document + ")" : source;
    }
}
