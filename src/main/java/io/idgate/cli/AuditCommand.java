package io.idgate.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.engine.GuardrailInputs;
import io.idgate.engine.ObjectReviewer;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.GuardrailConfigMapReader;
import io.idgate.k8s.InvalidObject;
import io.idgate.render.Report;
import io.idgate.k8s.Manifest;
import io.idgate.review.ClusterAudit;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code idgate audit}: what already runs in breach of the identity rules, on a live cluster or in a cluster's dumped objects. */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find what already runs in breach on a live cluster (kubeconfig, KUBECONFIG or in-cluster), or with -f in"
                + " manifests that stand for one (kubectl get -A -o yaml namespaces,pods,serviceaccounts,networkpolicies,configmaps).",
                "Against the guardrails in force: every NetworkPolicy judged as the webhook would judge its CREATE now; every"
                        + " running pod whose identity keys are missing or differ from a fresh derivation (it predates idgate, or its"
                        + " ServiceAccount's annotations or groups changed since); every namespace a defaultDeny rule guards that has"
                        + " no default-deny policy.",
                "Also the reachability findings: peers open to every namespace or address, policies and rules that select nothing"
                        + " or are shadowed, invariants broken, spoofable edges into protected identities, namespaces without a default-deny.",
                "Needs get/list on namespaces, pods, serviceaccounts and networkpolicies, and on configmaps in the guardrails namespace."},
        footer = {"", "Exit codes: 0 nothing in breach; 1 deny violations or stale pods (with --strict: any line);"
                + " 2 unusable input (cluster unreachable, access refused, a guardrail ConfigMap that does not parse)."})
final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context. Default: the current one.")
    String context;

    @Option(names = {"-f", "--filename"}, paramLabel = "PATH",
            description = "Audit these manifests instead of a cluster: file or directory (.yaml, .yml, .json, recursively) or - for stdin;"
                    + " repeatable. Guardrail ConfigMaps among them count as on the server (labelled, in the guardrails namespace).")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default",
            description = "With -f: namespace of objects written without one (as kubectl apply -n). Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(names = "--guardrails-namespace", paramLabel = "NS", defaultValue = "${env:IDGATE_GUARDRAILS_NAMESPACE:-idgate-system}",
            description = "Namespace of the guardrail ConfigMaps (server: idgate.guardrails.namespace). Default: ${DEFAULT-VALUE}.")
    String guardrailsNamespace;

    @Option(names = "--exclude-namespace", paramLabel = "NS", split = ",",
            description = "Namespaces not audited; repeatable. Default: kube-system, kube-node-lease, idgate-system and the guardrails namespace (those the webhook configurations skip).")
    List<String> excluded;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, junit, sarif (SARIF 2.1.0) or policyreport (wgpolicyk8s.io/v1alpha2 PolicyReports)."
                    + " Default: ${DEFAULT-VALUE}.")
    Report.Format format;

    @Option(names = "--strict", description = "Fail (exit 1) on warnings and audit lines too, and when no guardrails are in force.")
    boolean strict;

    @Mixin
    IdentityOptions identity;

    private final Function<String, KubernetesClient> clients;
    private final InputStream stdin;

    AuditCommand(Function<String, KubernetesClient> clients, InputStream stdin) {
        this.clients = clients;
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        List<String> notes = new ArrayList<>();
        Report report;
        try {
            var deriver = identity.deriver(null);
            String label = deriver.keys().prefix() + "/guardrails";
            ClusterObjects objects;
            GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
            List<String> errors = new ArrayList<>();
            int guardrailMaps;
            if (!paths.isEmpty()) {
                if (context != null) {
                    throw new UsageError("give either -f PATH (manifests) or --context (a cluster), not both");
                }
                Inputs inputs = Inputs.read(paths, stdin);
                if (!inputs.errors().isEmpty()) {
                    throw new UsageError(String.join("\n", inputs.errors()));
                }
                notes.addAll(inputs.skipped());
                objects = ClusterObjects.of(inputs.objects(), namespace);
                // as the server reads them: labelled ConfigMaps of the guardrails namespace only
                var loaded = GuardrailInputs.load(objects, List.of(), deriver.keys().prefix(), namespace, guardrailsNamespace);
                guardrails = loaded.guardrails();
                errors.addAll(loaded.errors());
                notes.addAll(loaded.ignored());
                guardrailMaps = loaded.configMaps().size();
            } else {
                KubernetesClient client = clients.apply(context);
                try {
                    objects = ClusterObjects.fetch(client, guardrailsNamespace, label);
                } catch (KubernetesClientException e) {
                    throw new UsageError(ClusterProblems.describe(client, e, "get/list on namespaces, pods,"
                            + " serviceaccounts and networkpolicies in every namespace, and on configmaps in the guardrails namespace"));
                }
                guardrailMaps = objects.configMaps().size();
                for (Manifest m : objects.configMaps()) {
                    try {
                        guardrails.apply(GuardrailConfigMapReader.read(m)).errors().forEach(e -> errors.add(e.text()));
                    } catch (InvalidObject e) {
                        errors.add(e.getMessage());
                    }
                }
            }
            List<String> warnings = new ArrayList<>();
            if (guardrailMaps == 0) {
                warnings.add("no guardrails loaded (no ConfigMap labelled " + label + "=true in namespace " + guardrailsNamespace
                        + "), so no NetworkPolicy can be in breach; wrong --guardrails-namespace?");
            }
            var snapshot = guardrails.snapshot();
            var summary = new GuardrailInputs.Summary(guardrails.states().values().stream().filter(GuardrailConfigMaps.State::valid)
                    .map(GuardrailConfigMaps.State::configMap).toList(), snapshot.rules().size(), snapshot.groups().size());
            if (!errors.isEmpty()) {
                errors.add("these guardrail ConfigMaps do not parse, so the guardrails in force cannot be known from the cluster"
                        + " (the server keeps their last valid version); fix them first");
                report = new Report("audit", List.of(), errors, notes, strict);
            } else {
                Set<String> skip = new HashSet<>(excluded != null ? excluded : ClusterAudit.DEFAULT_EXCLUDED);
                if (excluded == null) {
                    skip.add(guardrailsNamespace);
                }
                var result = ClusterAudit.audit(objects, guardrails.snapshot(), deriver, skip,
                        ObjectReviewer.commandLineTokens(guardrails::snapshot, deriver));
                notes.addAll(result.notes());
                report = new Report("audit", result.findings(), List.of(), notes, warnings, summary, strict);
            }
        } catch (UsageError e) {
            report = new Report("audit", List.of(), List.of(e.getMessage()), notes, strict);
        }
        var out = spec.commandLine().getOut();
        out.print(report.render(format, Cli.version(), Instant.now()));
        out.flush();
        report.diagnostics(spec.commandLine().getErr());
        return report.exitCode();
    }
}
