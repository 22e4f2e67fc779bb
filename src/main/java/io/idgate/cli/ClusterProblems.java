package io.idgate.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** What went wrong talking to a cluster, and what to do, without Java text. */
final class ClusterProblems {

    private ClusterProblems() {}

    /** @param needs the access the command needs, for a 401 or 403 */
    static String describe(KubernetesClient client, KubernetesClientException e, String needs) {
        return describe(client, e, needs, "the list requests");
    }

    /**
     * @param needs    the access the command needs, for a 401 or 403
     * @param requests what was sent, as the message names it ({@code the list requests})
     */
    static String describe(KubernetesClient client, KubernetesClientException e, String needs, String requests) {
        String where = client.getConfiguration() == null ? "the cluster" : client.getConfiguration().getMasterUrl();
        if (e.getCode() == 401 || e.getCode() == 403) {
            return where + " refused " + requests + " (HTTP " + e.getCode() + "): it needs " + needs;
        }
        if (e.getCode() > 0) {
            return where + " answered HTTP " + e.getCode() + " to " + requests + "; check the cluster's health and try again";
        }
        return "cannot reach " + where + " (" + (e.getCause() != null ? e.getCause().getClass().getSimpleName() : "no answer")
                + "); check KUBECONFIG, the current context (or --context) and the network";
    }

    /**
     * Why no client could be built from the kubeconfig: its TLS material (client certificate, key or CA)
     * does not load. The innermost cause names what is wrong with it.
     */
    static String credentials(Config config, String context, KubernetesClientException e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return "cannot use the client certificate, key or CA of the kubeconfig's " + (context == null ? "current context" : "context " + context)
                + " (" + config.getMasterUrl() + "): " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName())
                + "; idgate reads unencrypted PEM keys, RSA or EC P-256/P-384/P-521 (PKCS#1, SEC1 or PKCS#8)";
    }
}
