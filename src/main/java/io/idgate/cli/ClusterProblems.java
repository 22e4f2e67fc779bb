package io.idgate.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** What went wrong talking to a cluster, and what to do, without Java text. */
final class ClusterProblems {

    private ClusterProblems() {}

    /** @param needs the access the command needs, for a 401 or 403 */
    static String describe(KubernetesClient client, KubernetesClientException e, String needs) {
        String where = client.getConfiguration() == null ? "the cluster" : client.getConfiguration().getMasterUrl();
        if (e.getCode() == 401 || e.getCode() == 403) {
            return where + " refused the list requests (HTTP " + e.getCode() + "): it needs " + needs;
        }
        if (e.getCode() > 0) {
            return where + " answered HTTP " + e.getCode() + " to the list requests; check the cluster's health and try again";
        }
        return "cannot reach " + where + " (" + (e.getCause() != null ? e.getCause().getClass().getSimpleName() : "no answer")
                + "); check KUBECONFIG, the current context (or --context) and the network";
    }
}
