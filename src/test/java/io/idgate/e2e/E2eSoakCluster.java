package io.idgate.e2e;

import io.idgate.soak.SoakCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;

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
    public Path adminKubeconfig() {
        return E2eCluster.DIR.resolve("kube/kubeconfig");
    }

    @Override
    public ProcessHandle idgate() {
        // the harness's idgate is a child of this JVM; found by its command line so E2eCluster needs no accessor
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar") && c.contains("-Didgate.cluster=kubernetes")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("idgate is not running"));
    }
}
