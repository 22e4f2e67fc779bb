package io.idgate.guardrails;

/**
 * An entry of {@code require.ingressFrom} / {@code require.egressTo}: an identity a peer may be pinned to.
 * {@link #text()} is the reference as written, used in messages.
 */
public sealed interface IdentityRef {

    /** The reference as written in the ConfigMap, e.g. {@code group:payments}. */
    String text();

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
