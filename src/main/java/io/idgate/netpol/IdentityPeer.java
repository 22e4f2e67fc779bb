package io.idgate.netpol;

import io.idgate.identity.IdentityKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one shape of a NetworkPolicy peer that selects an identity. {@code idgate labels} prints it and
 * every guardrail fix suggests it, so a user who pastes either gets the same peer. The namespace is
 * chosen by {@code kubernetes.io/metadata.name} (set by the API server, so namespace owners cannot
 * forge it), the pods by identity keys idgate sets: both pin the identity, and the peer passes the
 * {@code identityPeers} and {@code immutableNamespaceSelectors} requirements.
 *
 * @param namespaceLabels matchLabels of the namespaceSelector; empty: {@code namespaceSelector: {}} (every namespace)
 * @param podLabels       matchLabels of the podSelector; empty: {@code podSelector: {}} (every pod of those namespaces)
 */
public record IdentityPeer(Map<String, String> namespaceLabels, Map<String, String> podLabels) {

    /** Set by the API server on every namespace. */
    public static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    public IdentityPeer {
        namespaceLabels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(namespaceLabels));
        podLabels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(podLabels));
    }

    /**
     * The pods of one ServiceAccount.
     *
     * @param serviceAccountValue the {@code P/service-account} label value (encoded when long); null: every
     *                            ServiceAccount of the namespace
     */
    public static IdentityPeer serviceAccount(IdentityKeys keys, String namespace, String serviceAccountValue) {
        return new IdentityPeer(Map.of(NAMESPACE_NAME, namespace),
                serviceAccountValue == null ? Map.of() : Map.of(keys.serviceAccount(), serviceAccountValue));
    }

    /** Every pod of a namespace. */
    public static IdentityPeer namespace(String namespace) {
        return new IdentityPeer(Map.of(NAMESPACE_NAME, namespace), Map.of());
    }

    /** The members of a guardrail group, in every namespace. */
    public static IdentityPeer group(IdentityKeys keys, String group) {
        return new IdentityPeer(Map.of(), Map.of(keys.group(group), "true"));
    }

    /** The pods of one SPIFFE ID ({@code P/spiffe-id} label value), in every namespace. */
    public static IdentityPeer spiffeId(IdentityKeys keys, String spiffeIdValue) {
        return new IdentityPeer(Map.of(), Map.of(keys.spiffeId(), spiffeIdValue));
    }

    /**
     * As one line of flow YAML, e.g. {@code {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name:
     * payments}}, podSelector: {matchLabels: {idgate.io/service-account: ledger}}}}. A value in angle
     * brackets is a placeholder for the user to fill ({@code <namespace matching pci-*>}) and is not quoted.
     */
    public String flow() {
        return "{namespaceSelector: " + selector(namespaceLabels) + ", podSelector: " + selector(podLabels) + "}";
    }

    /** As a peer object of a NetworkPolicy rule: {@code {namespaceSelector: {...}, podSelector: {...}}}, empty selectors as {@code {}}. */
    public com.fasterxml.jackson.databind.node.ObjectNode json() {
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        matchLabels(node.putObject("namespaceSelector"), namespaceLabels);
        matchLabels(node.putObject("podSelector"), podLabels);
        return node;
    }

    /** Writes {@code labels} as the {@code matchLabels} of {@code selector} (nothing when empty: the selector {@code {}}). */
    public static void matchLabels(com.fasterxml.jackson.databind.node.ObjectNode selector, Map<String, String> labels) {
        if (!labels.isEmpty()) {
            labels.forEach(selector.putObject("matchLabels")::put);
        }
    }

    private static String selector(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "{}";
        }
        List<String> entries = new ArrayList<>();
        labels.forEach((k, v) -> entries.add(k + ": " + (v.startsWith("<") ? v : LabelSelector.yamlString(v))));
        return "{matchLabels: {" + String.join(", ", entries) + "}}";
    }
}
