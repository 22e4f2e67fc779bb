package io.idgate.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import io.idgate.k8s.SubjectAccessReviewAuthorizer;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
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
                        + " ServiceAccount is not among them gets a warning.",
                "serviceAccountUse: files cannot say who applies them, so Pods and workloads in a covered namespace are notes; with"
                        + " --as USER (and --as-group) the API server of the kubeconfig is asked, as the webhook asks, and a refusal is a"
                        + " deny line."},
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

    @Option(names = "--as", paramLabel = "USER",
            description = "Who will apply the files: ask the API server of the kubeconfig whether they may use the ServiceAccount of each"
                    + " Pod and workload in a namespace serviceAccountUse covers, as the webhook asks (a refusal is a deny line)."
                    + " Needs create on subjectaccessreviews.")
    String as;

    @Option(names = "--as-group", paramLabel = "GROUP",
            description = "A group of the --as user; repeatable. system:authenticated is added, as kubectl --as adds it.")
    List<String> asGroups = new ArrayList<>();

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context --as asks through. Default: the current one.")
    String context;

    @Mixin
    IdentityOptions identity;

    /** How long --as waits for one answer: a CI job fails with the reason rather than hang on a silent API server. */
    static final java.time.Duration AS_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final InputStream stdin;
    private final Function<String, KubernetesClient> clients;

    CheckCommand(InputStream stdin, Function<String, KubernetesClient> clients) {
        this.stdin = stdin;
        this.clients = clients;
    }

    /**
     * The requester {@code --as USER --as-group G} names, as the API server sees a request impersonating
     * them ({@code kubectl --as}): with {@code system:authenticated} added unless a group already says
     * authenticated or not, and {@code system:unauthenticated} for {@code system:anonymous}. A
     * {@link UsageError} names a flag used wrongly and the fix.
     */
    static Requester requester(String as, List<String> groups) {
        if (as == null) {
            if (!groups.isEmpty()) {
                throw new UsageError("--as-group " + groups.get(0) + " needs --as USER: a group belongs to the user the files are checked for"
                        + " (e.g. --as alice --as-group payments-devs)");
            }
            return null;
        }
        if (as.isBlank()) {
            throw new UsageError("--as is empty; give the user who will apply the files, as the API server names them (e.g. --as alice,"
                    + " or --as system:serviceaccount:ci:deployer)");
        }
        for (String g : groups) {
            if (g.isBlank()) {
                throw new UsageError("--as-group is empty; give a group name (e.g. --as-group payments-devs), or leave the flag out");
            }
        }
        List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(groups));
        if (ANONYMOUS.equals(as)) {
            if (!all.contains(UNAUTHENTICATED)) {
                all.add(UNAUTHENTICATED);
            }
        } else if (!all.contains(AUTHENTICATED) && !all.contains(UNAUTHENTICATED)) {
            all.add(AUTHENTICATED);
        }
        return new Requester(as, "", all, java.util.Map.of());
    }

    private static final String ANONYMOUS = "system:anonymous";
    private static final String AUTHENTICATED = "system:authenticated";
    private static final String UNAUTHENTICATED = "system:unauthenticated";

    /** Why the API server did not answer --as, in one line with the fix. */
    static String unanswered(KubernetesClient client, Throwable cause) {
        String where = client.getConfiguration() == null ? "the API server" : client.getConfiguration().getMasterUrl();
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return where + " did not answer a SubjectAccessReview within " + AS_TIMEOUT.toSeconds() + " s; check KUBECONFIG, the current context"
                    + " (or --context) and the network, and try again";
        }
        if (cause instanceof KubernetesClientException e) {
            return ClusterProblems.describe(client, e, "create on subjectaccessreviews.authorization.k8s.io (kubectl auth can-i create"
                    + " subjectaccessreviews)", "the SubjectAccessReview");
        }
        return "cannot reach " + where + " (" + cause.getClass().getSimpleName() + "); check KUBECONFIG, the current context (or --context)"
                + " and the network";
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
            KubernetesClient client = null;
            ExecutorService executor = null;
            try {
                Requester requester = requester(as, asGroups);
                ManifestCheck.AskAs askAs = null;
                if (requester != null) {
                    // a missing kubeconfig fails here, before anything is read from the network; then no retries: fabric8's
                    // backoff (about 20 s against a server that refuses connections) would outlast AS_TIMEOUT and hide the reason
                    KubernetesClient configured = clients.apply(context);
                    client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                            new io.fabric8.kubernetes.client.ConfigBuilder(configured.getConfiguration()).withRequestRetryBackoffLimit(0).build())
                            .build();
                    executor = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "idgate-check-as");
                        t.setDaemon(true);
                        return t;
                    });
                    KubernetesClient asked = client;
                    askAs = new ManifestCheck.AskAs(new SubjectAccessReviewAuthorizer(client, executor), requester, AS_TIMEOUT,
                            cause -> unanswered(asked, cause));
                }
                var result = new ManifestCheck(identity.deriver(null), namespace, guardrailsNamespace, askAs).check(inputs, guardrailFiles);
                List<String> notes = new ArrayList<>(skipped);
                notes.addAll(result.notes());
                report = new Report("check", result.findings(), result.inputErrors(), notes, result.warnings(), result.guardrails(), strict);
            } catch (UsageError e) {
                report = new Report("check", List.of(), List.of(e.getMessage()), List.of(), strict);
            } finally {
                if (executor != null) {
                    executor.shutdownNow();
                }
                if (client != null) {
                    client.close();
                }
            }
        }
        var out = spec.commandLine().getOut();
        out.print(report.render(format, Cli.version(), Instant.now()));
        out.flush();
        report.diagnostics(spec.commandLine().getErr());
        return report.exitCode();
    }
}
