package io.idgate.cli;

import io.idgate.render.Report;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestReader;
import io.idgate.review.ManifestCheck;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code idgate check}: what the webhook would say about manifests, before they are applied. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check manifests as the webhook would, before they are applied.",
                "Every NetworkPolicy is judged as the webhook judges its CREATE (the other policies of its namespace in the inputs"
                        + " count as existing ones); every Pod and pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob)"
                        + " gets the identity labels it would be stamped with.",
                "Guardrails: ConfigMaps labelled <prefix>/guardrails=true in the inputs and every ConfigMap of --guardrails files,"
                        + " in any namespace unless --guardrails-namespace is given. ServiceAccounts come from the inputs; a pod whose"
                        + " ServiceAccount is not among them gets a warning."},
        footer = {"", "Exit codes: 0 no deny violation; 1 deny violations (with --strict: any warning or audit line, or no guardrails loaded);"
                        + " 2 unusable input (the message names the file, document and field).",
                "", "Example: idgate check -f k8s/ -f platform/guardrails.yaml -o junit > idgate.xml"})
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "File or directory (.yaml, .yml, .json, recursively) or - for stdin; repeatable. Multi-document YAML and List kinds are read.")
    List<String> paths;

    @Option(names = "--guardrails", paramLabel = "FILE", description = "Guardrail ConfigMaps (labelled or not); repeatable.")
    List<Path> guardrails = new ArrayList<>();

    @Option(names = "--guardrails-namespace", paramLabel = "NS",
            description = "Use only guardrail ConfigMaps of this namespace, as the server does (idgate.guardrails.namespace). Default: any namespace.")
    String guardrailsNamespace;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default",
            description = "Namespace of objects written without one (as kubectl apply -n). Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, junit, sarif (SARIF 2.1.0) or policyreport (wgpolicyk8s.io/v1alpha2 PolicyReports)."
                    + " Default: ${DEFAULT-VALUE}.")
    Report.Format format;

    @Option(names = "--strict", description = "Fail (exit 1) on warnings and audit lines too, including pods whose ServiceAccount is not"
            + " in the inputs and a run that loaded no guardrails.")
    boolean strict;

    @Mixin
    IdentityOptions identity;

    private final InputStream stdin;

    CheckCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        Inputs objects = Inputs.read(paths, stdin);
        Inputs guardrailObjects = Inputs.read(guardrails.stream().map(Path::toString).toList(), stdin);
        List<Manifest> inputs = objects.objects();
        List<Manifest> guardrailFiles = guardrailObjects.objects();
        List<String> errors = new ArrayList<>(objects.errors());
        errors.addAll(guardrailObjects.errors());
        List<String> skipped = new ArrayList<>(objects.skipped());
        skipped.addAll(guardrailObjects.skipped());
        Report report;
        if (!errors.isEmpty()) {
            report = new Report("check", List.of(), errors, skipped, strict);
        } else if (inputs.isEmpty() && guardrailFiles.isEmpty()) {
            report = new Report("check", List.of(), List.of("no Kubernetes objects in " + String.join(", ", paths)
                    + " (files must end in .yaml, .yml or .json)"), skipped, strict);
        } else {
            try {
                var result = new ManifestCheck(identity.deriver(null), namespace, guardrailsNamespace).check(inputs, guardrailFiles);
                List<String> notes = new ArrayList<>(skipped);
                notes.addAll(result.notes());
                report = new Report("check", result.findings(), result.inputErrors(), notes, result.warnings(), result.guardrails(), strict);
            } catch (UsageError e) {
                report = new Report("check", List.of(), List.of(e.getMessage()), List.of(), strict);
            }
        }
        var out = spec.commandLine().getOut();
        out.print(report.render(format, Cli.version(), Instant.now()));
        out.flush();
        report.diagnostics(spec.commandLine().getErr());
        return report.exitCode();
    }
}
