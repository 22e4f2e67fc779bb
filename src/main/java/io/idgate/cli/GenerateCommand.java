package io.idgate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.Finding;
import io.idgate.engine.IntentGeneration;
import io.idgate.guardrails.Action;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.Manifest;
import io.idgate.render.PolicyManifests;
import io.idgate.render.Report;
import io.idgate.render.reach.ReachRendering;
import io.idgate.render.reach.ReachTxt;
import io.idgate.review.ManifestCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code idgate generate}: NetworkPolicies written from identity intents, proven by the reachability engine. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the NetworkPolicies of identity intents, and prove them.",
                "INTENTS is an intents file (intents: and defaults:), or manifests whose guardrail ConfigMaps hold intents: sections."
                        + " Peers select only by identity keys (groups.<prefix>/<g>, <prefix>/service-account with the namespace pinned by"
                        + " kubernetes.io/metadata.name), so no pod author can join a path by choosing labels.",
                "With workloads among PATH, the identity view of reachability under the generated policies must equal the intents"
                        + " (plus DNS); each differing edge is printed on stderr (+ allowed beyond the intents, - intended but not allowed)."
                        + " The generated policies are also judged by the guardrail rules of the inputs, as idgate check judges them."},
        footer = {"", "Exit codes: 0 policies written (and proven when workloads were given); 1 the proof fails or a guardrail rule denies a"
                        + " generated policy; 2 unusable intents or inputs (file, line and field named).",
                "", "Example: idgate generate intents.yaml k8s/ > networkpolicies.yaml"})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INTENTS", description = "The intents file, or manifests with guardrail ConfigMaps holding intents:.")
    String intents;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "PATH",
            description = "Workloads, namespaces, ServiceAccounts and guardrail ConfigMaps (files or directories, - for stdin).")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "yaml or json. Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default",
            description = "Namespace of objects written without one (as kubectl apply -n). Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Mixin
    IdentityOptions identity;

    private final InputStream stdin;

    GenerateCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> report = new ArrayList<>();
        int exit;
        try {
            exit = run(errors, warnings, report);
        } catch (UsageError e) {
            errors.add(e.getMessage());
            exit = Report.EXIT_UNUSABLE;
        }
        warnings.forEach(w -> err.println("warning: " + w));
        errors.forEach(e -> err.println("error: " + e));
        report.forEach(err::println);
        if (exit == Report.EXIT_UNUSABLE) {
            err.println("error: unusable input (" + errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + "); fix "
                    + (errors.size() == 1 ? "it" : "them") + " and run again");
        }
        err.flush();
        return exit;
    }

    /** Prints the policies; says the guardrail verdicts and the proof in {@code report}, after the warnings. */
    private int run(List<String> errors, List<String> warnings, List<String> report) {
        if (!output.equals("yaml") && !output.equals("json")) {
            throw new UsageError("-o: generate prints yaml or json, not " + output);
        }
        IdentityDeriver deriver = identity.deriver(null);
        String intentsText = null;
        List<String> sources = new ArrayList<>(paths);
        if (!"-".equals(intents) && !Files.isDirectory(Path.of(intents))) {
            try {
                intentsText = Files.readString(Path.of(intents));
            } catch (IOException e) {
                throw new UsageError(intents + ": cannot read the intents file (" + e.getMessage() + ")");
            }
        }
        if (intentsText == null || !GuardrailParser.looksLikeIntents(intentsText)) {
            sources.add(0, intents); // manifests: the intents are those of their guardrail ConfigMaps
            intentsText = null;
        }
        Inputs inputs = Inputs.read(sources, stdin);
        boolean intentsFile = intentsText != null;
        String intentsPath = Path.of(intents).normalize().toString();
        // the intents file lying among the manifests is no stray document
        inputs.skipped().stream().filter(w -> !intentsFile || !(w.startsWith(intents + " ") || w.startsWith(intentsPath + " ")))
                .forEach(warnings::add);
        errors.addAll(inputs.errors());
        if (!errors.isEmpty()) {
            return Report.EXIT_UNUSABLE;
        }
        IntentGeneration.Result result = IntentGeneration.run(ClusterObjects.of(inputs.objects(), namespace),
                intentsText == null ? null : intents, intentsText, deriver);
        warnings.addAll(result.warnings());
        if (!result.problems().isEmpty()) {
            errors.addAll(result.problems());
            return Report.EXIT_UNUSABLE;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(output.equals("json") ? PolicyManifests.json(result.policies()) : PolicyManifests.yaml(result.policies()));
        out.flush();
        int exit = Report.EXIT_OK;
        // the guardrail rules of the inputs judge each generated policy as the webhook would judge its CREATE
        List<Manifest> checked = new ArrayList<>(inputs.objects().stream().filter(m -> !"NetworkPolicy".equals(m.kind())).toList());
        List<ObjectNode> policies = result.policies();
        for (int i = 0; i < policies.size(); i++) {
            checked.add(new Manifest("<generated>", i + 1, policies.get(i)));
        }
        ManifestCheck.Result check = new ManifestCheck(deriver, namespace, null).check(checked, List.of());
        int denied = 0;
        for (Finding f : check.findings()) {
            if (!"<generated>".equals(f.source()) || !"NetworkPolicy".equals(f.kind())) {
                continue;
            }
            for (String line : f.lines(Action.DENY)) {
                report.add("deny: " + f.title() + ": " + line);
                denied++;
            }
            f.lines(Action.WARN).forEach(line -> warnings.add(f.title() + ": " + line));
        }
        if (denied > 0) {
            report.add("guardrails: " + denied + " violation" + (denied == 1 ? "" : "s") + " of the inputs' guardrail rules by the generated"
                    + " policies; change the intents or the rules");
            exit = Report.EXIT_DENIED;
        }
        if (result.proof() == null) {
            report.add("proof: none, the inputs hold no workload; add the workloads (Deployments, Pods, ...) to prove the policies");
        } else if (result.proof().isEmpty()) {
            report.add("proof: reachability under the generated policies equals the intents among " + result.identities() + " identit" + (result.identities() == 1 ? "y" : "ies") + ": " + result.edges()
                    + " edge" + (result.edges() == 1 ? "" : "s") + " (idgate reach list --by identity shows them)");
        } else {
            report.add("proof: reachability under the generated policies differs from the intents (+ allowed beyond the intents,"
                    + " - intended but not allowed, ~ other ports: intents -> policies):");
            report.addAll(ReachTxt.diff(ReachRendering.diff(result.proof())).lines().toList());
            exit = Report.EXIT_DENIED;
        }
        return exit;
    }
}
