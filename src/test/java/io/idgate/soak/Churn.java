package io.idgate.soak;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.idgate.k8s.ServiceAccounts;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Changes the world through the API server, one write at a time, and tells the oracle and the
 * timeline: each write is a new version, registered before it is issued and settled (with the oracle's
 * expected answers) once it returned. One thread only.
 */
final class Churn {

    /** The cycle of changes; after a full cycle the world is back where it started (soak-pci version 1 alone, no churn ServiceAccount). */
    enum Step {
        PCI_V2("soak-pci -> version 2 (deny becomes warn/audit, group members change)"),
        TEAM_ADD("soak-team created (second ConfigMap: warn + audit rules, group soak-auditors)"),
        SA_CREATE("ServiceAccount soak-payments/churn created (AWS role)"),
        PCI_BROKEN("soak-pci -> broken edit (must be ignored: version 2 stays in force)"),
        PCI_V1("soak-pci -> version 1"),
        SA_EDIT("ServiceAccount soak-payments/churn edited (AWS role and GCP account change)"),
        TEAM_REMOVE("soak-team deleted"),
        SA_DELETE("ServiceAccount soak-payments/churn deleted");

        final String description;

        Step(String description) {
            this.description = description;
        }
    }

    static final String CHURN_NAMESPACE = "soak-payments";
    static final String CHURN_SA = "churn";

    private final KubernetesClient client;
    private final Oracle oracle;
    private final Timeline timeline;
    private final List<Scenario.Template> templates;
    private final Map<Step, Integer> counts = new EnumMap<>(Step.class);
    private int next;
    private String[][] previous;

    /** @param initial the oracle's expectations before the first step */
    Churn(KubernetesClient client, Oracle oracle, Timeline timeline, List<Scenario.Template> templates, String[][] initial) {
        this.client = client;
        this.oracle = oracle;
        this.timeline = timeline;
        this.templates = templates;
        this.previous = initial;
    }

    /** The next step of the cycle. */
    void step() {
        Step step = Step.values()[next++ % Step.values().length];
        Timeline.Version v = timeline.begin(step.description);
        try {
            write(step);
        } catch (RuntimeException e) {
            // settled with the previous expectations so judging does not wait forever; the run fails on the error
            timeline.commit(v, System.nanoTime(), previous);
            throw e;
        }
        long returned = System.nanoTime(); // before the expectations are computed: they take tens of ms
        previous = oracle.expectAll(templates);
        timeline.commit(v, returned, previous);
        counts.merge(step, 1, Integer::sum);
    }

    private void write(Step step) {
        switch (step) {
            case PCI_V2 -> oracle.apply(client.resource(configMap("guardrails-pci-v2.yaml")).update());
            case PCI_BROKEN -> oracle.apply(client.resource(configMap("guardrails-pci-broken.yaml")).update());
            case PCI_V1 -> oracle.apply(client.resource(configMap("guardrails-pci-v1.yaml")).update());
            case TEAM_ADD -> oracle.apply(client.resource(configMap("guardrails-team.yaml")).create());
            case TEAM_REMOVE -> {
                client.configMaps().inNamespace(Oracle.GUARDRAILS_NAMESPACE).withName("soak-team").delete();
                oracle.removeConfigMap(Oracle.GUARDRAILS_NAMESPACE, "soak-team");
            }
            case SA_CREATE -> oracle.putServiceAccount(ServiceAccounts.info(client.resource(churnServiceAccount(Map.of(
                    "eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/payments-churn"))).create()));
            case SA_EDIT -> oracle.putServiceAccount(ServiceAccounts.info(client.resource(churnServiceAccount(Map.of(
                    "eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/analytics-churn",
                    "iam.gke.io/gcp-service-account", "churn@payments-prod.iam.gserviceaccount.com"))).update()));
            case SA_DELETE -> {
                client.serviceAccounts().inNamespace(CHURN_NAMESPACE).withName(CHURN_SA).delete();
                oracle.removeServiceAccount(CHURN_NAMESPACE, CHURN_SA);
            }
            default -> throw new IllegalStateException(step.name());
        }
    }

    Map<Step, Integer> counts() {
        return Map.copyOf(counts);
    }

    /** Removes what the churn may have left (a run stopped mid-cycle, or an earlier run on the same cluster). */
    static void clear(KubernetesClient client) {
        client.configMaps().inNamespace(Oracle.GUARDRAILS_NAMESPACE).withName("soak-team").delete();
        client.serviceAccounts().inNamespace(CHURN_NAMESPACE).withName(CHURN_SA).delete();
    }

    static ConfigMap configMap(String resource) {
        return Scenario.manifests(resource, ConfigMap.class).get(0);
    }

    private static ServiceAccount churnServiceAccount(Map<String, String> annotations) {
        return new ServiceAccountBuilder().withNewMetadata().withNamespace(CHURN_NAMESPACE).withName(CHURN_SA)
                .withAnnotations(annotations).endMetadata().build();
    }
}
