package io.idgate.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.IntentReach;
import io.idgate.guardrails.Intents;
import io.idgate.guardrails.PolicyGenerator;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.NetworkPolicyBinder;
import io.idgate.netpol.FieldProblem;
import io.idgate.netpol.NetworkPolicyProblems;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.ReachDiff;
import io.idgate.reach.Reachability;
import io.idgate.reach.Views;
import io.idgate.reach.World;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code idgate generate} (design section 10): the intents of a file or of the guardrail documents
 * among the inputs, the NetworkPolicies that implement them, and the proof over the workloads of the
 * inputs: the identity view of reachability under the generated policies (and no other) equals what the
 * intents allow.
 */
public final class IntentGeneration {

    /**
     * @param policies   the generated NetworkPolicies, sorted by namespace and name
     * @param warnings   worth saying, not fatal (refs that select nothing, skipped objects)
     * @param problems   unusable intents or inputs, each naming file, line and field (exit 2); then nothing else is set
     * @param proof      where reachability under the policies differs from the intents; null when the inputs hold no workload
     * @param identities ServiceAccounts among the workloads (what the proof covered)
     * @param edges      identity edges the generated policies allow among them (and address ranges)
     */
    public record Result(List<ObjectNode> policies, List<String> warnings, List<String> problems, ReachDiff proof, int identities,
                         int edges) {
        public Result {
            policies = List.copyOf(policies);
            warnings = List.copyOf(warnings);
            problems = List.copyOf(problems);
        }

        static Result unusable(List<String> problems, List<String> warnings) {
            return new Result(List.of(), warnings, problems, null, 0, 0);
        }
    }

    private IntentGeneration() {}

    /**
     * @param objects     the inputs (workloads, namespaces, ServiceAccounts, guardrail ConfigMaps)
     * @param intentsFile the intents file's name, or null to take the intents of the guardrail documents among the inputs
     * @param intentsText its text
     */
    public static Result run(ClusterObjects objects, String intentsFile, String intentsText, IdentityDeriver deriver) {
        ReachWorlds.Loaded loaded = ReachWorlds.of(objects, deriver);
        List<String> warnings = new ArrayList<>(loaded.warnings());
        List<String> problems = new ArrayList<>(loaded.problems());
        Intents intents;
        if (intentsFile != null) {
            var file = GuardrailParser.parseIntents(intentsFile, intentsText, loaded.guardrails().groups().keySet());
            problems.addAll(file.errors());
            intents = file.intents();
        } else {
            intents = loaded.guardrails().intents();
            if (problems.isEmpty() && intents.intents().isEmpty()) {
                problems.add("no intents: the inputs hold no guardrail ConfigMap with an intents: section; give an intents file first"
                        + " (idgate generate intents.yaml [PATH...])");
            }
        }
        if (!problems.isEmpty()) {
            return Result.unusable(problems, warnings);
        }
        World world = loaded.world();
        if (!world.policies().isEmpty()) {
            warnings.add("the inputs hold " + world.policies().size() + " NetworkPolic" + (world.policies().size() == 1 ? "y" : "ies")
                    + "; the proof judges the generated policies alone, as if they replaced them");
        }
        PolicyGenerator.Generated generated = PolicyGenerator.generate(intents, world, loaded.guardrails().groups(), deriver.config());
        warnings.addAll(generated.warnings());
        List<PolicyRules> rules = new ArrayList<>();
        for (ObjectNode p : generated.policies()) {
            String id = p.path("metadata").path("namespace").asText() + "/" + p.path("metadata").path("name").asText();
            try {
                var np = NetworkPolicyBinder.bind(p, "generated NetworkPolicy " + id);
                List<FieldProblem> wrong = NetworkPolicyProblems.of(np);
                wrong.forEach(f -> problems.add("generated NetworkPolicy " + id + ": " + f.field() + ": " + f.message()));
                rules.add(PolicyRules.of(np));
            } catch (InvalidObject e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) { // a policy the API server would refuse: the intents are usable, the writing is wrong
            return Result.unusable(problems, warnings);
        }
        if (world.peers().isEmpty()) {
            return new Result(generated.policies(), warnings, List.of(), null, 0, 0);
        }
        Reachability reach = Reachability.of(world.withPolicies(rules), deriver.keys());
        ReachDiff proof = IntentReach.proof(intents, generated.namespaces(), reach, deriver.config());
        long identities = world.peers().stream().map(p -> p.identityId()).distinct().count();
        return new Result(generated.policies(), warnings, List.of(), proof, (int) identities, Views.identity(reach).edges().size());
    }
}
