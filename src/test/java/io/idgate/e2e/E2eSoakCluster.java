package io.idgate.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.idgate.soak.SoakCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;

/** The e2e harness as the soak ({@code io.idgate.soak}) sees it; E2eCluster itself stays package-private. */
public final class E2eSoakCluster implements SoakCluster {

    private final E2eCluster cluster;
    private final HttpClient client;

    private E2eSoakCluster(E2eCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
    }

    /** The harness's cluster, started on first use (once per JVM). */
    public static SoakCluster start() {
        return new E2eSoakCluster(E2eCluster.get());
    }

    @Override
    public URI webhookBase() {
        return URI.create("https://127.0.0.1:" + cluster.port());
    }

    @Override
    public HttpClient webhookClient() {
        return client;
    }

    @Override
    public String metrics() {
        return cluster.metrics();
    }

    @Override
    public Config adminConfig() {
        // the admin token, not the kubeconfig's client certificate: fabric8 cannot read its EC key without BouncyCastle
        Map<String, String> env = cluster.apiserverEnv();
        return new ConfigBuilder(Config.empty()).withMasterUrl(env.get("KUBE_E2E_APISERVER")).withCaCertFile(env.get("KUBE_E2E_CA"))
                .withOauthToken(env.get("KUBE_E2E_TOKEN")).build();
    }

    @Override
    public ProcessHandle idgate() {
        // the harness's idgate is a child of this JVM; found by its command line so E2eCluster needs no accessor
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar") && c.contains("-Didgate.cluster=kubernetes")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("idgate is not running"));
    }
}
