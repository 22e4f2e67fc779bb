package io.idgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.idgate.guardrails.GuardrailConfigMaps;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Synced means applied: the informer's store fills before its handlers run (on another thread), so a
 * watcher that trusted the informer alone reported synced with the guardrails still missing, and
 * NetworkPolicies were judged without them. Here every task of the client's executor runs 200 ms late,
 * which holds that window open.
 */
@EnableKubernetesMockClient(crud = true)
class GuardrailWatcherSyncTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void syncedOnlyOnceEveryListedConfigMapIsInTheSnapshot() throws Exception {
        for (String team : new String[] {"a", "b"}) {
            client.configMaps().inNamespace("idgate-system").resource(new ConfigMapBuilder().withNewMetadata().withName("team-" + team)
                    .withNamespace("idgate-system").addToLabels("idgate.io/guardrails", "true").endMetadata()
                    .withData(Map.of("rules.yaml", "rules:\n  - name: team-" + team + "-ports\n    require: {ports: true}\n")).build()).create();
        }
        ScheduledExecutorService late = Executors.newScheduledThreadPool(2);
        var configMaps = new GuardrailConfigMaps();
        try (var slowClient = new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withTaskExecutor(task -> late.schedule(task, 200, TimeUnit.MILLISECONDS)).build();
                var watcher = new GuardrailWatcher(configMaps, slowClient, "idgate-system", "idgate.io/guardrails")) {
            watcher.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!watcher.synced()) {
                assertTrue(System.nanoTime() < deadline, "never synced");
                Thread.sleep(5);
            }
            assertEquals(2, configMaps.snapshot().rules().size(), "synced, so both ConfigMaps are in force");
        } finally {
            late.shutdownNow();
        }
    }
}
