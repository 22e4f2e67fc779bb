package io.idgate.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.GuardrailConfigMaps.ConfigMapData;
import io.idgate.guardrails.ParseError;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Feeds guardrail ConfigMaps ({@code <prefix>/guardrails=true} in the guardrails namespace) to
 * {@link GuardrailConfigMaps}: from a watch on a cluster (changes apply as soon as the watch
 * delivers them, typically well under a second) or once from the manifests directory.
 */
public final class GuardrailWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GuardrailWatcher.class);

    private final GuardrailConfigMaps configMaps;
    private final SharedIndexInformer<ConfigMap> informer;
    private volatile boolean applied;

    /** Watches the cluster. */
    public GuardrailWatcher(GuardrailConfigMaps configMaps, KubernetesClient client, String namespace, String label) {
        this.configMaps = configMaps;
        this.informer = client.configMaps().inNamespace(namespace).withLabel(label, "true").runnableInformer(0);
        this.informer.exceptionHandler((started, t) -> {
            LOG.warnf("guardrail ConfigMap watch failed (%s); retrying", t.getMessage());
            return true;
        });
        this.informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
                apply(data(cm));
            }

            @Override
            public void onUpdate(ConfigMap oldCm, ConfigMap newCm) {
                apply(data(newCm));
            }

            @Override
            public void onDelete(ConfigMap cm, boolean deletedFinalStateUnknown) {
                configMaps.remove(cm.getMetadata().getNamespace(), cm.getMetadata().getName());
                LOG.infof("guardrail ConfigMap %s/%s removed; its rules no longer apply",
                        cm.getMetadata().getNamespace(), cm.getMetadata().getName());
            }
        });
    }

    /** Reads the guardrail ConfigMaps among {@code manifests} once (standalone mode). */
    public GuardrailWatcher(GuardrailConfigMaps configMaps, List<Manifest> manifests, String namespace, String label) {
        this.configMaps = configMaps;
        this.informer = null;
        for (Manifest m : ClusterObjects.of(manifests, namespace).labelledConfigMaps(label)) {
            if (!m.namespace().equals(namespace)) {
                LOG.warnf("guardrail ConfigMap %s/%s ignored; guardrails are read from namespace %s", m.namespace(), m.name(), namespace);
                continue;
            }
            try {
                apply(GuardrailConfigMapReader.read(m));
            } catch (InvalidObject e) {
                configMaps.refuse(m.namespace(), m.name(), m.object().path("metadata").path("resourceVersion").asText(""), e.getMessage());
                LOG.errorf("guardrail ConfigMap %s/%s refused, none of it is in force:%n  %s", m.namespace(), m.name(), e.getMessage());
            }
        }
    }

    public CompletionStage<Void> start() {
        return informer == null ? CompletableFuture.completedFuture(null) : informer.start();
    }

    /**
     * Whether every guardrail ConfigMap of the first list has been applied. The informer's own
     * {@code hasSynced()} turns true when its store is filled, before its handlers have run (they run
     * on another thread): until they have, the snapshot may lack ConfigMaps. Once true, stays true.
     */
    public boolean synced() {
        if (!applied && informer != null && informer.hasSynced()) {
            var seen = configMaps.states().keySet();
            applied = seen.containsAll(informer.getStore().listKeys());
        }
        return informer == null || applied;
    }

    private void apply(ConfigMapData data) {
        var outcome = configMaps.apply(data);
        if (outcome.valid()) {
            LOG.infof("guardrail ConfigMap %s (resourceVersion %s) applied: %d rules in force", data.id(), data.resourceVersion(),
                    configMaps.snapshot().rules().size());
        } else {
            LOG.errorf("guardrail ConfigMap %s (resourceVersion %s) refused, %s:%n  %s", data.id(), data.resourceVersion(),
                    configMaps.states().get(data.id()).inForce() ? "its last valid version stays in force" : "none of it is in force",
                    String.join("\n  ", outcome.errors().stream().map(ParseError::text).toList()));
        }
    }

    static ConfigMapData data(ConfigMap cm) {
        return new ConfigMapData(cm.getMetadata().getNamespace(), cm.getMetadata().getName(), cm.getMetadata().getResourceVersion(),
                cm.getData() == null ? Map.of() : cm.getData());
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
