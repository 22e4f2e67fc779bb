package io.idgate.guardrails;

/**
 * An entry of {@code require.ingressFrom} / {@code require.egressTo}: an identity a peer may be pinned to.
 * {@link #text()} is the reference as written, used in messages.
 */
public sealed interface IdentityRef {

    /** The reference as written in the ConfigMap, e.g. {@code group:payments}. */
    String text();

    /**
     * True when {@code peer} (its labels as idgate stamps them) has this identity: a group by its
     * {@code groups.P/<g>} label, a ServiceAccount or namespace by the peer's namespace and ServiceAccount
     * (globs), a SPIFFE ID by its {@code P/spiffe-id} label or, in the configured trust domain, by the
     * namespace and ServiceAccount it names.
     */
    default boolean matches(io.idgate.reach.ReachPeer peer, io.idgate.identity.IdentityConfig config) {
        if (this instanceof GroupRef g) {
            return "true".equals(peer.labels().get(config.keys().group(g.group())));
        } else if (this instanceof NamespaceRef n) {
            return Globs.matches(n.namespaceGlob(), peer.namespace());
        } else if (this instanceof ServiceAccountRef s) {
            return Globs.matches(s.namespaceGlob(), peer.namespace()) && Globs.matches(s.nameGlob(), peer.serviceAccount());
        } else if (this instanceof SpiffeRef s) {
            if (io.idgate.identity.LabelValues.encode(s.id()).equals(peer.labels().get(config.keys().spiffeId()))) {
                return true;
            }
            java.util.regex.Matcher m = io.idgate.identity.WorkloadIdentity.SPIFFE_ID.matcher(s.id());
            return m.matches() && m.group(1).equals(config.trustDomain()) && m.group(2).equals(peer.namespace())
                    && m.group(3).equals(peer.serviceAccount());
        }
        return false;
    }

    /** {@code group:<name>}: members of a guardrail group, i.e. pods labelled {@code groups.P/<name>: "true"}. */
    record GroupRef(String group) implements IdentityRef {
        @Override
        public String text() {
            return "group:" + group;
        }
    }

    /** {@code serviceAccount:<namespace>/<name>}, {@code *} globs in either part. */
    record ServiceAccountRef(String namespaceGlob, String nameGlob) implements IdentityRef {
        @Override
        public String text() {
            return "serviceAccount:" + namespaceGlob + "/" + nameGlob;
        }
    }

    /** {@code namespace:<namespace>} (a glob): every ServiceAccount of the namespace(s). */
    record NamespaceRef(String namespaceGlob) implements IdentityRef {
        @Override
        public String text() {
            return "namespace:" + namespaceGlob;
        }
    }

    /** {@code spiffe://<trust-domain>/<path>}, compared literally. */
    record SpiffeRef(String id) implements IdentityRef {
        @Override
        public String text() {
            return id;
        }
    }
}
