package io.idgate.engine;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.idgate.k8s.NetworkPolicyBinder;
import io.idgate.k8s.PodTemplates;
import io.idgate.k8s.ServiceAccountLookup;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.World;
import io.idgate.reach.WorldBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The reachability world of a set of objects, read the way every other front end reads them: the one
 * loader ({@link ClusterObjects}), the one NetworkPolicy binder, the guardrail ConfigMaps among the
 * objects for the group view (membership judged by the guardrails' own rules, from each workload's
 * ServiceAccount and its annotations, as the webhook stamps {@code groups.<prefix>/<g>}).
 */
public final class ReachWorlds {

    /**
     * @param world    the world (empty of the objects named in {@code problems})
     * @param problems unusable input, one line each naming file, object and field (exit 2)
     * @param warnings worth saying, not fatal: skipped objects, hostNetwork pods, IPv6 blocks
     * @param guardrails the guardrails found among the objects (empty when none)
     */
    public record Loaded(World world, List<String> problems, List<String> warnings, GuardrailSnapshot guardrails) {}

    private ReachWorlds() {}

    /** The world of {@code objects}, with the guardrail ConfigMaps among them. */
    public static Loaded of(ClusterObjects objects, IdentityDeriver deriver) {
        // the loader of idgate check and idgate labels, so the group view sees the groups they see
        GuardrailInputs.Loaded guardrails = GuardrailInputs.load(objects, List.of(), deriver.keys().prefix(), "default", null);
        List<String> problems = new ArrayList<>(guardrails.errors());
        return of(objects, deriver, guardrails.snapshot(), problems, guardrails.ignored());
    }

    /** The world of {@code objects} under guardrails read elsewhere ({@code idgate check --guardrails}). */
    public static Loaded of(ClusterObjects objects, IdentityDeriver deriver, GuardrailSnapshot snapshot) {
        return of(objects, deriver, snapshot, new ArrayList<>(), List.of());
    }

    private static Loaded of(ClusterObjects objects, IdentityDeriver deriver, GuardrailSnapshot snapshot, List<String> problems,
            List<String> notes) {
        ServiceAccountLookup serviceAccounts;
        try {
            serviceAccounts = new ManifestServiceAccountLookup(objects.serviceAccounts(), "");
        } catch (ManifestException e) {
            problems.add(e.getMessage());
            serviceAccounts = new ManifestServiceAccountLookup(List.of(), "");
        }
        WorldBuilder builder = new WorldBuilder(ReachWorlds::bind);
        for (Manifest m : objects.all()) {
            if (!"ConfigMap".equals(m.kind()) && !"ServiceAccount".equals(m.kind())) {
                String refused = podProblem(m);
                if (refused != null) {
                    problems.add(refused);
                    continue;
                }
                builder.add(m.location(), (com.fasterxml.jackson.databind.node.ObjectNode) m.object());
            }
        }
        World built = builder.build(); // binding and checking the policies happens here, so problems are known after it
        builder.problems().forEach(p -> problems.add(p.toString()));
        World world = stamped(built, deriver, serviceAccounts, snapshot);
        List<String> warnings = new ArrayList<>(notes); // ignored guardrail ConfigMaps first, as check says them
        warnings.addAll(world.warnings());
        return new Loaded(world, problems, warnings, snapshot);
    }

    /**
     * {@code world} with every peer labelled as idgate's webhook labels its pods at admission: identity
     * keys (replacing any a pod author set) and {@code groups.<prefix>/<g>} of the guardrail groups the
     * peer's ServiceAccount belongs to. Without this, a peer selected by {@code idgate.io/service-account}
     * or {@code groups.idgate.io/<g>} would match no pod template and the identity edges would be missing.
     * A ServiceAccount {@code accounts} does not hold still has its name and namespace, which namespace
     * and name members match.
     */
    public static World stamped(World world, IdentityDeriver deriver, ServiceAccountLookup accounts, GuardrailSnapshot snapshot) {
        List<ReachPeer> stamped = new ArrayList<>();
        Map<String, Set<String>> groups = new java.util.HashMap<>();
        for (ReachPeer p : world.peers()) {
            var found = accounts.resolve(p.namespace(), p.serviceAccount()).toCompletableFuture().join();
            ServiceAccountInfo account = found instanceof ServiceAccountLookup.Found f ? f.serviceAccount()
                    : new ServiceAccountInfo(p.namespace(), p.serviceAccount(), Map.of(), null);
            Set<String> memberOf = snapshot.groupsOf(deriver.identityOf(account));
            if (!memberOf.isEmpty()) {
                groups.put(p.id(), memberOf);
            }
            TreeMap<String, String> labels = new TreeMap<>(p.labels());
            labels.keySet().removeIf(deriver.keys()::isOwned);
            labels.putAll(deriver.derive(account, memberOf).labels());
            stamped.add(new ReachPeer(p.namespace(), p.name(), p.kind(), labels, p.serviceAccount(), p.ports(), p.ips(), p.hostNetwork()));
        }
        return new World(world.namespaces(), stamped, world.policies(), groups, world.warnings());
    }

    /**
     * Why the pod {@code m} stands for is unusable (no template, labels that are not strings, ...), in
     * the words of {@code idgate check} (ManifestCheck), or null: both commands must refuse the same
     * input the same way, and a template the API server would refuse has no reachability to speak of.
     */
    private static String podProblem(Manifest m) {
        if (!PodTemplates.makesPods(m)) {
            return null;
        }
        try {
            PodFields.validate(PodTemplates.pod(m), "object");
            return null;
        } catch (ManifestException e) {
            return e.getMessage();
        } catch (InvalidObject e) {
            return PodTemplates.problem(m, e);
        }
    }

    private static NetworkPolicy bind(com.fasterxml.jackson.databind.node.ObjectNode node) {
        try {
            return NetworkPolicyBinder.bind(node, "object");
        } catch (InvalidObject e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
