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

    public static Loaded of(ClusterObjects objects, IdentityDeriver deriver) {
        // the loader of idgate check and idgate labels, so the group view sees the groups they see
        GuardrailInputs.Loaded guardrails = GuardrailInputs.load(objects, List.of(), deriver.keys().prefix(), "default", null);
        List<String> problems = new ArrayList<>(guardrails.errors());
        ServiceAccountLookup serviceAccounts;
        try {
            serviceAccounts = new ManifestServiceAccountLookup(objects.serviceAccounts(), "");
        } catch (ManifestException e) {
            problems.add(e.getMessage());
            serviceAccounts = new ManifestServiceAccountLookup(List.of(), "");
        }
        GuardrailSnapshot snapshot = guardrails.snapshot();
        ServiceAccountLookup accounts = serviceAccounts;
        Function<ReachPeer, ServiceAccountInfo> accountOf = peer -> {
            var found = accounts.resolve(peer.namespace(), peer.serviceAccount()).toCompletableFuture().join();
            // a ServiceAccount the inputs do not hold still has its name and namespace: namespace and name members match it
            return found instanceof ServiceAccountLookup.Found f ? f.serviceAccount()
                    : new ServiceAccountInfo(peer.namespace(), peer.serviceAccount(), Map.of(), null);
        };
        Function<ReachPeer, Set<String>> groups = peer -> snapshot.groupsOf(deriver.identityOf(accountOf.apply(peer)));
        WorldBuilder builder = new WorldBuilder(ReachWorlds::bind).groups(groups);
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
        // Peers carry the identity keys idgate's webhook stamps at admission (and replaces when a pod author
        // sets them): without this, a peer selected by idgate.io/service-account or groups.idgate.io/<g>
        // would match no pod template and the identity edges would be missing.
        List<ReachPeer> stamped = new ArrayList<>();
        for (ReachPeer p : built.peers()) {
            TreeMap<String, String> labels = new TreeMap<>(p.labels());
            labels.keySet().removeIf(deriver.keys()::isOwned);
            Set<String> memberOf = built.groups().getOrDefault(p.id(), Set.of());
            labels.putAll(deriver.derive(accountOf.apply(p), memberOf).labels());
            stamped.add(new ReachPeer(p.namespace(), p.name(), p.kind(), labels, p.serviceAccount(), p.ports(), p.ips(), p.hostNetwork()));
        }
        List<String> warnings = new ArrayList<>(guardrails.ignored());
        warnings.addAll(built.warnings());
        World world = new World(built.namespaces(), stamped, built.policies(), built.groups(), warnings);
        return new Loaded(world, problems, world.warnings(), snapshot);
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
