package io.idgate.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.Operation;
import io.idgate.identity.IdentityDeriver;
import io.idgate.engine.Finding;
import io.idgate.engine.GuardrailInputs;
import io.idgate.engine.ObjectReviewer;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.PodTemplates;
import io.idgate.netpol.FieldProblem;
import io.idgate.netpol.NetworkPolicyProblems;
import io.idgate.reach.InputProblem;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.idgate.engine.Message;
import io.idgate.engine.ReachWorlds;
import io.idgate.engine.ServiceAccountUseCheck;
import io.idgate.k8s.ServiceAccountAuthorizer;
import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import io.idgate.guardrails.Action;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.Invariant;
import io.idgate.guardrails.InvariantCheck;
import io.idgate.guardrails.Violation;
import io.idgate.reach.Reachability;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code idgate check}: every NetworkPolicy of the inputs judged as the webhook judges its CREATE
 * (with the other policies of its namespace in the inputs as the existing ones, so {@code defaultDeny}
 * sees them), and every Pod and pod template previewed as the mutating webhook would label it.
 *
 * <p>Guardrails: as {@link GuardrailInputs} loads them (labelled ConfigMaps among the inputs, every
 * ConfigMap of the explicit guardrail files, any namespace unless {@code guardrailsNamespace} is set).
 */
public final class ManifestCheck {

    /** How a miss reads in the CLI: the files are not the cluster. */
    /** Kinds check reads without judging them (policies that do not bind are errors already); any other kind is skipped with a note. */
    private static final java.util.Set<String> READ_AS_CONTEXT = java.util.Set.of("NetworkPolicy", "ServiceAccount", "ConfigMap", "Namespace");

    static final String NOT_IN_INPUTS = "it is not in the checked files; the webhook will look for it in the cluster";

    /**
     * @param findings    one per NetworkPolicy and pod-making object, in input order
     * @param inputErrors problems that make the inputs unusable (exit 2), each naming file, document and field
     * @param notes       things worth saying that are not about an object (ignored guardrail ConfigMaps)
     * @param warnings    about the run as a whole (no guardrails loaded), failing it with --strict
     * @param guardrails  which guardrails were loaded; null when a guardrail ConfigMap was unusable
     */
    public record Result(List<Finding> findings, List<String> inputErrors, List<String> notes, List<String> warnings,
            GuardrailInputs.Summary guardrails) {}

    /**
     * {@code idgate check --as}: ask {@code authorizer} (the API server of the kubeconfig) the webhook's
     * question for {@code requester}, through the webhook's own {@link ServiceAccountUseCheck}.
     *
     * @param timeout     how long one question may take
     * @param unreachable the one line saying why a question went unanswered (what the cause means, and the fix)
     */
    public record AskAs(ServiceAccountAuthorizer authorizer, Requester requester, java.time.Duration timeout,
            java.util.function.Function<Throwable, String> unreachable) {}

    private final IdentityDeriver deriver;
    private final String defaultNamespace;
    private final String guardrailsNamespace;
    private final AskAs askAs;

    /**
     * @param defaultNamespace    namespace of objects written without one ({@code kubectl apply -n})
     * @param guardrailsNamespace only guardrail ConfigMaps of this namespace count; null = any namespace
     */
    public ManifestCheck(IdentityDeriver deriver, String defaultNamespace, String guardrailsNamespace) {
        this(deriver, defaultNamespace, guardrailsNamespace, null);
    }

    /** @param askAs who applies the files, and the API server to ask whether they may use the ServiceAccounts; null: nobody to ask */
    public ManifestCheck(IdentityDeriver deriver, String defaultNamespace, String guardrailsNamespace, AskAs askAs) {
        this.deriver = deriver;
        this.defaultNamespace = defaultNamespace;
        this.guardrailsNamespace = guardrailsNamespace;
        this.askAs = askAs;
    }

    public Result check(List<Manifest> inputs, List<Manifest> guardrailFiles) {
        List<String> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        ClusterObjects objects = ClusterObjects.of(inputs, defaultNamespace);
        GuardrailInputs.Loaded loaded = GuardrailInputs.load(objects, guardrailFiles, deriver.keys().prefix(), defaultNamespace,
                guardrailsNamespace);
        GuardrailConfigMaps guardrails = loaded.guardrails();
        errors.addAll(loaded.errors());
        notes.addAll(loaded.ignored());
        List<String> warnings = new ArrayList<>();
        if (loaded.summary().none()) {
            // a CI gate that found no rules passes every policy: say so, and let --strict fail it
            warnings.add("no guardrails loaded (no ConfigMap labelled " + deriver.keys().prefix() + "/guardrails=true"
                    + (guardrailsNamespace == null ? "" : " in namespace " + guardrailsNamespace) + " among the inputs"
                    + (guardrailFiles.isEmpty() ? "" : " or the --guardrails files") + "), so no NetworkPolicy can be denied;"
                    + " pass the guardrail ConfigMaps with -f or --guardrails");
        }
        if (!errors.isEmpty()) {
            return new Result(List.of(), errors, notes, List.of(), null); // unknown guardrails would make every verdict a guess
        }

        ManifestServiceAccountLookup serviceAccounts;
        try {
            serviceAccounts = new ManifestServiceAccountLookup(objects.serviceAccounts(), NOT_IN_INPUTS);
        } catch (ManifestException e) {
            return new Result(List.of(), List.of(e.getMessage()), notes, List.of(), loaded.summary());
        }
        Map<Manifest, NetworkPolicy> policies = new IdentityHashMap<>();
        for (Manifest m : objects.networkPolicies()) {
            try {
                NetworkPolicy policy = ManifestNetworkPolicySource.toNetworkPolicy(m);
                // what the API server would refuse at kubectl apply is unusable here too (exit 2), in reach's words
                List<FieldProblem> problems = NetworkPolicyProblems.of(policy);
                problems.forEach(f -> errors.add(new InputProblem(m.location(), "NetworkPolicy " + m.namespace() + "/" + m.name(),
                        f.field(), f.message()).toString()));
                if (problems.isEmpty()) {
                    policies.put(m, policy);
                }
            } catch (InvalidObject e) {
                // named as idgate reach names it (file, object, then what does not bind), so both print one line
                String location = m.location() + ": ";
                errors.add(e.getMessage().startsWith(location) && !m.name().isEmpty() ? new InputProblem(m.location(), "NetworkPolicy " + m.namespace() + "/" + m.name(),
                        "", e.getMessage().substring(location.length())).toString() : e.getMessage());
            }
        }
        ObjectReviewer reviewer = ObjectReviewer.over(guardrails::snapshot, serviceAccounts,
                new ManifestNetworkPolicySource(List.copyOf(policies.keySet())), deriver, OnMissing.DENY,
                ObjectReviewer.commandLineTokens(guardrails::snapshot, deriver));
        List<Finding> findings = new ArrayList<>();
        Map<Manifest, Integer> podFindings = new IdentityHashMap<>();
        for (Manifest m : objects.all()) { // in input order, as people read their files
            try {
                if (policies.containsKey(m)) {
                    findings.add(reviewer.networkPolicy(Operation.CREATE, policies.get(m), null, m.namespace(), m.source(), m.document())
                            .atLine(m.line()));
                } else if (PodTemplates.makesPods(m)) {
                    ObjectNode pod = PodTemplates.pod(m);
                    podFindings.put(m, findings.size());
                    findings.add(reviewer.pod(m.kind(), m.namespace(), m.name(), pod, m.source(), m.document()).atLine(m.line()));
                } else if (!READ_AS_CONTEXT.contains(m.kind())) {
                    // named once, in idgate reach's words, so both commands say the same about the same documents
                    notes.add(m.location() + ": skipped " + m.kind() + " " + (m.namespace().isEmpty() ? "" : m.namespace() + "/") + m.name()
                            + " (carries no pods or policies)");
                }
            } catch (ManifestException e) {
                errors.add(e.getMessage());
            } catch (InvalidObject e) {
                // the pod checks name the field as the review's "object.metadata..."; here it is the template's
                errors.add(PodTemplates.problem(m, e));
            }
        }
        if (errors.isEmpty()) {
            findings.addAll(invariants(objects, guardrails.snapshot(), loaded.configMaps(), errors));
            if (askAs == null) {
                notes.addAll(serviceAccountUse(objects, guardrails.snapshot()));
            } else {
                askServiceAccountUse(objects, guardrails, findings, podFindings, notes, errors);
            }
        }
        // an unusable run fails anyway: a warning about its guardrails would only bury the errors
        return new Result(findings, errors, notes, errors.isEmpty() ? warnings : List.of(), loaded.summary());
    }

    /**
     * Pods and workloads that run as a ServiceAccount in a namespace {@code serviceAccountUse:} covers: as
     * information, since whether the one who applies them may use it depends on who that is, which files
     * cannot say (the webhook asks the API server at admission).
     */
    private static List<String> serviceAccountUse(ClusterObjects objects, GuardrailSnapshot snapshot) {
        var use = snapshot.serviceAccountUse();
        if (use == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Manifest m : objects.all()) {
            if (PodTemplates.makesPods(m) && use.covers(m.namespace())) {
                String sa = io.idgate.engine.PodFields.serviceAccountName(PodTemplates.pod(m));
                out.add(m.location() + ": " + m.kind() + " " + m.namespace() + "/" + m.name() + " runs as ServiceAccount " + m.namespace() + "/"
                        + sa + " in a namespace serviceAccountUse covers: whoever applies it must be allowed to use it"
                        + " (kubectl auth can-i use serviceaccount/" + sa + " -n " + m.namespace() + " --as <user>)");
            }
        }
        return out;
    }

    /**
     * {@code --as}: each Pod and workload in a namespace {@code serviceAccountUse:} covers, judged by the
     * webhook's check with the API server answering for the given requester. A refusal becomes a deny
     * line of the object's finding, in the webhook's words; an allowed one a note; a question the API
     * server does not answer an error (exit 2), asked once: the next would go unanswered alike.
     */
    private void askServiceAccountUse(ClusterObjects objects, GuardrailConfigMaps guardrails, List<Finding> findings,
            Map<Manifest, Integer> podFindings, List<String> notes, List<String> errors) {
        var use = guardrails.snapshot().serviceAccountUse();
        if (use == null) {
            notes.add("--as " + askAs.requester().username() + ": no guardrail has serviceAccountUse:, so nobody was asked whether they may use"
                    + " a ServiceAccount");
            return;
        }
        // one run, one requester: answers are reused for the run (a minute), as the webhook reuses them for a rollout
        var check = new ServiceAccountUseCheck(guardrails::snapshot, askAs.authorizer(), askAs.timeout(), java.time.Duration.ofMinutes(1),
                1_000, System::nanoTime);
        for (Manifest m : objects.all()) {
            Integer at = podFindings.get(m);
            if (at == null) {
                continue;
            }
            ServiceAccountUseCheck.Decision decision;
            try {
                decision = check.review(m.kind(), m.namespace(), (ObjectNode) m.object(), null, askAs.requester()).toCompletableFuture().join();
            } catch (InvalidObject e) {
                errors.add(PodTemplates.problem(m, e));
                continue;
            }
            Finding f = findings.get(at);
            if (decision instanceof ServiceAccountUseCheck.Refused refused) {
                List<Message> messages = new ArrayList<>(f.messages());
                messages.add(Message.identity(Action.DENY, ServiceAccountUseCheck.RULE, refused.line()));
                findings.set(at, new Finding(f.kind(), f.namespace(), f.name(), f.source(), f.document(), false, messages, f.identity(), f.line()));
            } else if (decision instanceof ServiceAccountUseCheck.Unanswered unanswered) {
                errors.add(m.location() + ": " + f.title() + ": could not ask whether " + askAs.requester().username() + " may use its ServiceAccount: "
                        + askAs.unreachable().apply(unanswered.cause()));
                return;
            } else if (use.covers(m.namespace())) {
                String sa = io.idgate.engine.PodFields.serviceAccountName(PodTemplates.pod(m));
                String who = ServiceAccountUseCheck.describe(askAs.requester());
                notes.add(m.location() + ": " + f.title() + " runs as ServiceAccount " + m.namespace() + "/" + sa + ": "
                        + (use.exempts(askAs.requester().username()) ? who + " is exempt (serviceAccountUse.exemptRequesters), so nobody was asked"
                                : who + " may use it (asked the API server)"));
            }
        }
    }

    /**
     * The invariants of the guardrails judged on the inputs as a whole, as the webhook judges each change
     * against them: one finding per invariant (denied with every breaking pair), at the ConfigMap that defines it.
     */
    private List<Finding> invariants(ClusterObjects objects, GuardrailSnapshot snapshot, Map<String, Manifest> configMaps, List<String> errors) {
        InvariantCheck check = new InvariantCheck(snapshot.invariants(), deriver.config());
        if (check.isEmpty()) {
            return List.of();
        }
        ReachWorlds.Loaded world = ReachWorlds.of(objects, deriver, snapshot);
        if (!world.problems().isEmpty()) {
            errors.addAll(world.problems());
            return List.of();
        }
        Map<String, List<Violation>> byInvariant = new java.util.TreeMap<>();
        check.all(Reachability.of(world.world(), deriver.keys()), InvariantCheck.Subject.at("reachability"))
                .forEach(v -> byInvariant.computeIfAbsent(v.rule(), k -> new ArrayList<>()).add(v));
        List<Finding> out = new ArrayList<>();
        for (Invariant inv : snapshot.invariants()) {
            List<Violation> broken = byInvariant.getOrDefault(inv.name(), List.of());
            Manifest where = configMaps.get(inv.source().configMap());
            out.add(new Finding("Invariant", "", inv.name(), where == null ? inv.source().describe() : where.source(),
                    where == null ? 0 : where.document(), broken.stream().noneMatch(v -> v.action() == Action.DENY),
                    broken.stream().map(Message::of).toList(), null, where == null ? 0 : where.line()));
        }
        return out;
    }
}
