package io.idgate.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The objects the engine reads, sorted by what they are for, from manifest files or from a live
 * cluster: the one loader of {@code idgate check}, {@code idgate audit}, the query API, standalone mode
 * and the reachability commands. Every object comes as a {@link Manifest} (a cluster object's source is
 * {@code cluster}), so the binders see files and cluster objects alike.
 *
 * @param namespaces          Namespace objects, with their labels
 * @param serviceAccounts     ServiceAccounts
 * @param networkPolicies     NetworkPolicies
 * @param podBearing          Pods and workloads with a pod template ({@link PodTemplates#makesPods})
 * @param configMaps          ConfigMaps (the guardrail ones are picked by label by the caller)
 * @param others              objects of any other kind, in input order
 * @param all                 every object, in input order
 */
public record ClusterObjects(List<Manifest> namespaces, List<Manifest> serviceAccounts, List<Manifest> networkPolicies,
        List<Manifest> podBearing, List<Manifest> configMaps, List<Manifest> others, List<Manifest> all) {

    /** Where cluster objects come from, in findings and messages. */
    public static final String CLUSTER = "cluster";

    /** Kinds that live in a namespace; one written without it goes to the default namespace, as kubectl does. */
    private static final Set<String> NAMESPACED = Set.of("NetworkPolicy", "ServiceAccount", "ConfigMap", "Pod", "Deployment",
            "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob");

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public ClusterObjects {
        namespaces = List.copyOf(namespaces);
        serviceAccounts = List.copyOf(serviceAccounts);
        networkPolicies = List.copyOf(networkPolicies);
        podBearing = List.copyOf(podBearing);
        configMaps = List.copyOf(configMaps);
        others = List.copyOf(others);
        all = List.copyOf(all);
    }

    /**
     * Sorts manifests by kind, each namespaced object written without a namespace put in
     * {@code defaultNamespace} (the one default-namespace rule: {@code kubectl apply -n}).
     */
    public static ClusterObjects of(List<Manifest> manifests, String defaultNamespace) {
        List<Manifest> namespaces = new ArrayList<>();
        List<Manifest> serviceAccounts = new ArrayList<>();
        List<Manifest> policies = new ArrayList<>();
        List<Manifest> pods = new ArrayList<>();
        List<Manifest> configMaps = new ArrayList<>();
        List<Manifest> others = new ArrayList<>();
        List<Manifest> all = new ArrayList<>();
        for (Manifest raw : manifests) {
            Manifest m = withNamespace(raw, defaultNamespace);
            all.add(m);
            switch (m.kind()) {
                case "Namespace" -> namespaces.add(m);
                case "ServiceAccount" -> serviceAccounts.add(m);
                case "NetworkPolicy" -> policies.add(m);
                case "ConfigMap" -> configMaps.add(m);
                default -> (PodTemplates.makesPods(m) ? pods : others).add(m);
            }
        }
        return new ClusterObjects(namespaces, serviceAccounts, policies, pods, configMaps, others, all);
    }

    /**
     * Lists what the engine needs from a cluster, read only. {@code guardrailsNamespace} null: no
     * ConfigMaps (the server judges against the guardrails already in force).
     */
    public static ClusterObjects fetch(KubernetesClient client, String guardrailsNamespace, String guardrailsLabel) {
        List<Manifest> configMaps = guardrailsNamespace == null ? List.of()
                : manifests(client.configMaps().inNamespace(guardrailsNamespace).withLabel(guardrailsLabel, "true").list().getItems());
        List<Manifest> namespaces = manifests(client.namespaces().list().getItems());
        List<Manifest> serviceAccounts = manifests(client.serviceAccounts().inAnyNamespace().list().getItems());
        List<Manifest> policies = manifests(client.network().v1().networkPolicies().inAnyNamespace().list().getItems());
        List<Manifest> pods = manifests(client.pods().inAnyNamespace().list().getItems());
        List<Manifest> all = new ArrayList<>();
        List.of(namespaces, serviceAccounts, policies, pods, configMaps).forEach(all::addAll);
        return new ClusterObjects(namespaces, serviceAccounts, policies, pods, configMaps, List.of(), all);
    }

    /** The names of {@link #namespaces}, sorted. */
    public List<String> namespaceNames() {
        return namespaces.stream().map(Manifest::name).sorted().toList();
    }

    /** The ConfigMaps labelled {@code <label>=true}: guardrail ConfigMaps. */
    public List<Manifest> labelledConfigMaps(String label) {
        return configMaps.stream()
                .filter(m -> "true".equals(m.object().path("metadata").path("labels").path(label).asText(""))).toList();
    }

    /** {@code m}, with {@code defaultNamespace} written in when it is a namespaced kind without one. */
    public static Manifest withNamespace(Manifest m, String defaultNamespace) {
        if (!m.namespace().isEmpty() || !NAMESPACED.contains(m.kind())
                || !m.object().path("metadata").isObject() && !m.object().path("metadata").isMissingNode()) {
            return m;
        }
        ObjectNode copy = (ObjectNode) m.object().deepCopy();
        copy.with("metadata").put("namespace", defaultNamespace);
        return new Manifest(m.source(), m.document(), copy, m.line());
    }

    private static List<Manifest> manifests(List<? extends HasMetadata> items) {
        return items.stream().map(o -> new Manifest(CLUSTER, 0, (ObjectNode) JSON.valueToTree(o))).toList();
    }
}
