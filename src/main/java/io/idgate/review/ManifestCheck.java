package io.idgate.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.admission.BadAdmissionReview;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.GuardrailConfigMaps.ConfigMapData;
import io.idgate.guardrails.Operation;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.GuardrailWatcher;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestServiceAccountLookup;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code idgate check}: every NetworkPolicy of the inputs judged as the webhook judges its CREATE
 * (with the other policies of its namespace in the inputs as the existing ones, so {@code defaultDeny}
 * sees them), and every Pod and pod template previewed as the mutating webhook would label it.
 *
 * <p>Guardrails: ConfigMaps labelled {@code <prefix>/guardrails=true} among the inputs, and every
 * ConfigMap of the explicit guardrail files, in any namespace unless {@code guardrailsNamespace} is
 * set (then the others are ignored with a note, as the server ignores them).
 */
public final class ManifestCheck {

    /** How a miss reads in the CLI: the files are not the cluster. */
    static final String NOT_IN_INPUTS = "it is not in the checked files; the webhook will look for it in the cluster";

    /** Kinds that live in a namespace; one written without it goes to the default namespace, as kubectl does. */
    private static final Set<String> NAMESPACED = Set.of("NetworkPolicy", "ServiceAccount", "ConfigMap", "Pod", "Deployment",
            "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob");

    /**
     * @param findings    one per NetworkPolicy and pod-making object, in input order
     * @param inputErrors problems that make the inputs unusable (exit 2), each naming file, document and field
     * @param notes       things worth saying that are not about an object (ignored guardrail ConfigMaps)
     */
    public record Result(List<Finding> findings, List<String> inputErrors, List<String> notes) {}

    private final IdentityDeriver deriver;
    private final String defaultNamespace;
    private final String guardrailsNamespace;

    /**
     * @param defaultNamespace    namespace of objects written without one ({@code kubectl apply -n})
     * @param guardrailsNamespace only guardrail ConfigMaps of this namespace count; null = any namespace
     */
    public ManifestCheck(IdentityDeriver deriver, String defaultNamespace, String guardrailsNamespace) {
        this.deriver = deriver;
        this.defaultNamespace = defaultNamespace;
        this.guardrailsNamespace = guardrailsNamespace;
    }

    public Result check(List<Manifest> inputs, List<Manifest> guardrailFiles) {
        List<String> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Manifest> objects = inputs.stream().map(this::withNamespace).toList();
        GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
        String label = deriver.keys().prefix() + "/guardrails";
        for (Manifest m : guardrailFiles) {
            if (!"ConfigMap".equals(m.kind())) {
                errors.add(m.location() + ": a guardrails file holds ConfigMaps, found kind " + m.kind()
                        + "; pass other objects with -f");
            } else {
                loadGuardrails(withNamespace(m), guardrails, errors, notes);
            }
        }
        for (Manifest m : objects) {
            if ("ConfigMap".equals(m.kind()) && "true".equals(m.object().path("metadata").path("labels").path(label).asText(""))) {
                loadGuardrails(m, guardrails, errors, notes);
            }
        }
        if (!errors.isEmpty()) {
            return new Result(List.of(), errors, notes); // unknown guardrails would make every verdict a guess
        }

        ManifestServiceAccountLookup serviceAccounts;
        try {
            serviceAccounts = new ManifestServiceAccountLookup(objects, NOT_IN_INPUTS);
        } catch (ManifestException e) {
            return new Result(List.of(), List.of(e.getMessage()), notes);
        }
        Map<Manifest, NetworkPolicy> policies = new IdentityHashMap<>();
        for (Manifest m : objects) {
            if ("NetworkPolicy".equals(m.kind())) {
                try {
                    policies.put(m, ManifestNetworkPolicySource.toNetworkPolicy(m));
                } catch (ManifestException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        Reviewer reviewer = new Reviewer(guardrails::snapshot, serviceAccounts, new ManifestNetworkPolicySource(List.copyOf(policies.keySet())), deriver,
                OnMissing.DENY);
        List<Finding> findings = new ArrayList<>();
        for (Manifest m : objects) {
            try {
                if (policies.containsKey(m)) {
                    findings.add(reviewer.networkPolicy(Operation.CREATE, policies.get(m), null, m.namespace(), m.source(), m.document()));
                } else if (PodTemplates.makesPods(m)) {
                    ObjectNode pod = PodTemplates.pod(m);
                    findings.add(reviewer.pod(m.kind(), m.namespace(), m.name(), pod, m.source(), m.document()));
                }
            } catch (ManifestException e) {
                errors.add(e.getMessage());
            } catch (BadAdmissionReview e) {
                // the pod checks name the field as the review's "object.metadata..."; here it is the template's
                errors.add(m.location() + ": " + m.kind() + " " + m.name() + ": " + e.getMessage().replaceFirst("^object\\.", "pod template "));
            }
        }
        return new Result(findings, errors, notes);
    }

    private void loadGuardrails(Manifest m, GuardrailConfigMaps guardrails, List<String> errors, List<String> notes) {
        ConfigMapData data = GuardrailWatcher.configMapData(m, defaultNamespace);
        if (guardrailsNamespace != null && !guardrailsNamespace.equals(data.namespace())) {
            notes.add(m.location() + ": guardrail ConfigMap " + data.id() + " ignored: --guardrails-namespace is " + guardrailsNamespace);
            return;
        }
        var outcome = guardrails.apply(data);
        outcome.errors().forEach(e -> errors.add(m.location() + ": " + e.text()));
        if (outcome.valid() && outcome.documents().isEmpty()) {
            notes.add(m.location() + ": ConfigMap " + data.id() + " has no data key ending in .yaml, so no guardrails");
        }
    }

    private Manifest withNamespace(Manifest m) {
        if (!m.namespace().isEmpty() || !NAMESPACED.contains(m.kind()) || !m.object().path("metadata").isObject() && !m.object().path("metadata").isMissingNode()) {
            return m;
        }
        ObjectNode copy = (ObjectNode) m.object().deepCopy();
        copy.with("metadata").put("namespace", defaultNamespace);
        return new Manifest(m.source(), m.document(), copy);
    }
}
