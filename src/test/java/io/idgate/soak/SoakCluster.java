package io.idgate.soak;

import io.fabric8.kubernetes.client.Config;
import java.net.URI;
import java.net.http.HttpClient;

/** What the soak needs of the e2e harness: a real API server with idgate running against it and registered. */
public interface SoakCluster {

    /** {@code https://127.0.0.1:<port>} of idgate's webhook port. */
    URI webhookBase();

    /** An HTTPS client set up for idgate's webhook port (its CA, and a client certificate if the port requires one). */
    HttpClient webhookClient();

    /** idgate's Prometheus text from its management port. */
    String metrics();

    /** A client configuration with cluster-admin rights on the API server. */
    Config adminConfig();

    /** The idgate process now running (for jcmd). */
    ProcessHandle idgate();
}
