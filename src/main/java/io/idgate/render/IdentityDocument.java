package io.idgate.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.IdentityDeriver;
import io.idgate.netpol.IdentityPeer;

/** The document that describes one identity: {@code idgate labels} and the query API's identities print it. */
public final class IdentityDocument {

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
        // the shape every guardrail fix suggests, so labels and check never disagree on what to paste
        IdentityPeer peer = IdentityPeer.serviceAccount(deriver.keys(), namespace, derived.labels().get(deriver.keys().serviceAccount()));
        root.set("peer", peer.json());
        return root;
    }
}
