package io.idgate.reach;

import io.idgate.identity.IdentityKeys;
import io.idgate.netpol.LabelSelector;
import io.idgate.netpol.Peer;
import io.idgate.netpol.Selectors;
import java.util.Set;

/**
 * Which peers a pod author could satisfy by choosing labels. Identity labels ({@code P/...},
 * {@code groups.P/...}) are set by idgate's webhook and cannot be chosen; {@code kubernetes.io/metadata.name}
 * is set by the API server and namespace owners cannot change it. Every other label can be chosen by
 * whoever writes the pod (or, for namespace labels, whoever may edit the namespace).
 */
public final class Spoofing {

    private Spoofing() {}

    /**
     * True when {@code peer} admits a pod because of labels its author chose: a non-empty podSelector that
     * requires no identity key, or a namespaceSelector that mentions any key but
     * {@code kubernetes.io/metadata.name}. {@code {}} and absent selectors pin nothing but are gained by
     * nobody (every pod of the namespace, every namespace), and an ipBlock is about addresses: neither is
     * spoofable.
     */
    public static boolean isSpoofable(Peer peer, IdentityKeys keys) {
        if (peer.isIpBlock()) {
            return false;
        }
        LabelSelector pod = peer.podSelector();
        if (pod != null && !pod.isEmpty() && Selectors.requiredKeys(pod).stream().noneMatch(keys::isOwned)) {
            return true;
        }
        LabelSelector ns = peer.namespaceSelector();
        return ns != null && !ns.isEmpty() && !Selectors.mentionedKeys(ns).equals(Set.of(Peer.NAMESPACE_NAME_LABEL));
    }
}
