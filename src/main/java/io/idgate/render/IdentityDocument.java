package io.idgate.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.IdentityDeriver;

/** The document that describes one identity: {@code idgate labels} and the query API's identities print it. */
public final class IdentityDocument {

    /** Set by the API server on every namespace, so namespace owners cannot forge it. */
    private static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    private IdentityDocument() {}

    /**
     * The identity as {@code idgate labels} prints it (also the body of the query API's identities):
     * its labels, annotations, and a NetworkPolicy peer that selects exactly its pods.
     */
    public static ObjectNode describe(ObjectMapper mapper, IdentityDeriver deriver, String namespace, String serviceAccount,
            DerivedIdentity derived) {
        ObjectNode root = mapper.createObjectNode();
        root.put("serviceAccount", namespace + "/" + serviceAccount);
        root.putObject("labels").setAll(mapper.<ObjectNode>valueToTree(derived.labels()));
        root.putObject("annotations").setAll(mapper.<ObjectNode>valueToTree(derived.annotations()));
        ObjectNode peer = root.putObject("peer");
        peer.putObject("namespaceSelector").putObject("matchLabels").put(NAMESPACE_NAME, namespace);
        peer.putObject("podSelector").putObject("matchLabels").put(deriver.keys().serviceAccount(), derived.labels().get(deriver.keys().serviceAccount()));
        return root;
    }
}
