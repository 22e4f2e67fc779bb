package io.idgate.engine;

import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.GuardrailConfigMaps.ConfigMapData;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.GuardrailConfigMapReader;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.Manifest;
import java.util.ArrayList;
import java.util.List;

/**
 * The guardrails among a command's input files: the one loader of {@code idgate check},
 * {@code idgate labels} and {@code idgate reach}, so they agree on which ConfigMaps count.
 *
 * <p>A ConfigMap counts when it carries {@code <prefix>/guardrails=true} (as the server requires) or
 * comes from an explicit guardrails file. Every ConfigMap that holds guardrail documents but does not
 * count is named with why and what to do: a CI gate that silently found no rules would pass everything.
 */
public final class GuardrailInputs {

    /**
     * What was loaded, for the one-line summary every report carries.
     *
     * @param configMaps the loaded ConfigMaps, {@code namespace/name}, in input order
     * @param rules      rules in force
     * @param groups     groups in force
     */
    public record Summary(List<String> configMaps, int rules, int groups) {
        public Summary {
            configMaps = List.copyOf(configMaps);
        }

        public boolean none() {
            return configMaps.isEmpty();
        }

        /** {@code guardrails: 1 ConfigMap (idgate-system/guardrails-pci), 4 rules, 2 groups}; {@code guardrails: 0 ConfigMaps, ...}. */
        public String line() {
            return "guardrails: " + count(configMaps.size(), "ConfigMap") + (none() ? "" : " (" + String.join(", ", configMaps) + ")")
                    + ", " + count(rules, "rule") + ", " + count(groups, "group");
        }

        private static String count(int n, String what) {
            return n + " " + what + (n == 1 ? "" : "s");
        }
    }

    /**
     * @param guardrails every ConfigMap that counted (the snapshot is theirs)
     * @param summary    what was loaded
     * @param errors     ConfigMaps that do not parse or conflict, and guardrails files of another kind (exit 2)
     * @param ignored    ConfigMaps that hold guardrails but do not count, each with why and the fix
     * @param configMaps the ConfigMaps that counted by {@code namespace/name}: where a finding about their rules points
     */
    public record Loaded(GuardrailConfigMaps guardrails, Summary summary, List<String> errors, List<String> ignored,
                         java.util.Map<String, Manifest> configMaps) {
        public GuardrailSnapshot snapshot() {
            return guardrails.snapshot();
        }
    }

    private GuardrailInputs() {}

    /**
     * @param objects         the inputs ({@code -f}), their namespaces already defaulted
     * @param guardrailFiles  the objects of explicit guardrails files (counted labelled or not)
     * @param labelPrefix     the identity key prefix: the label is {@code <prefix>/guardrails}
     * @param onlyNamespace   only ConfigMaps of this namespace count, as on the server; null = any namespace
     */
    public static Loaded load(ClusterObjects objects, List<Manifest> guardrailFiles, String labelPrefix, String defaultNamespace,
            String onlyNamespace) {
        String label = labelPrefix + "/guardrails";
        GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
        java.util.Map<String, Manifest> loaded = new java.util.LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Manifest raw : guardrailFiles) {
            if (!"ConfigMap".equals(raw.kind())) {
                errors.add(raw.location() + ": a guardrails file holds ConfigMaps, found kind " + raw.kind() + "; pass other objects with -f");
            } else {
                load(ClusterObjects.withNamespace(raw, defaultNamespace), onlyNamespace, guardrails, loaded, errors, ignored);
            }
        }
        for (Manifest m : objects.configMaps()) {
            String value = m.object().path("metadata").path("labels").path(label).asText(null);
            if ("true".equals(value)) {
                load(m, onlyNamespace, guardrails, loaded, errors, ignored);
            } else if (holdsGuardrails(m)) {
                ignored.add(m.location() + ": ConfigMap " + id(m) + (value == null ? " has no label " + label + "=true"
                        : " has label " + label + "=" + value + ", not true") + "; ignored, as the server ignores it"
                        + " (add the label, or pass the file with --guardrails)");
            }
        }
        var snapshot = guardrails.snapshot();
        return new Loaded(guardrails, new Summary(new ArrayList<>(loaded.keySet()), snapshot.rules().size(), snapshot.groups().size()),
                List.copyOf(errors), List.copyOf(ignored), java.util.Collections.unmodifiableMap(loaded));
    }

    private static void load(Manifest m, String onlyNamespace, GuardrailConfigMaps guardrails, java.util.Map<String, Manifest> loaded, List<String> errors,
            List<String> ignored) {
        if (onlyNamespace != null && !onlyNamespace.equals(m.namespace())) {
            ignored.add(m.location() + ": guardrail ConfigMap " + id(m) + " ignored: --guardrails-namespace is " + onlyNamespace);
            return;
        }
        ConfigMapData data;
        try {
            data = GuardrailConfigMapReader.read(m);
        } catch (InvalidObject e) {
            errors.add(e.getMessage());
            return;
        }
        var check = guardrails.apply(data);
        check.errors().forEach(e -> errors.add(m.location() + ": " + e.text()));
        if (check.valid() && check.documents().isEmpty()) {
            ignored.add(m.location() + ": ConfigMap " + data.id() + " has no data key ending in .yaml, so no guardrails");
        } else if (check.valid()) {
            loaded.put(data.id(), m);
        }
    }

    /** True when a data key ending in .yaml reads as a guardrail document (a top-level groups:, rules:, ...). */
    private static boolean holdsGuardrails(Manifest m) {
        var data = m.object().path("data");
        var fields = data.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (e.getKey().endsWith(".yaml") && e.getValue().isTextual() && GuardrailParser.looksLikeGuardrails(e.getValue().asText())) {
                return true;
            }
        }
        return false;
    }

    private static String id(Manifest m) {
        return m.namespace() + "/" + m.name();
    }
}
