package io.idgate.k8s;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/** The server's Kubernetes client reads the kubeconfig's client key as the command line does ({@link ClientKeys}). */
@Singleton
public class ClientKeyCustomizer implements KubernetesConfigCustomizer {

    @Override
    public void customize(Config config) {
        ClientKeys.nameAlgorithm(config);
    }
}
