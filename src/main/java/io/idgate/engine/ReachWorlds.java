package io.idgate.engine;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.GuardrailConfigMapReader;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.idgate.k8s.NetworkPolicyBinder;
import io.idgate.k8s.ServiceAccountLookup;
import io.idgate.reach.World;
import io.idgate.reach.WorldBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        List<String> problems = new ArrayList<>();
        GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
        for (Manifest m : objects.labelledConfigMaps(deriver.keys().prefix() + "/guardrails")) {
            try {
                guardrails.apply(GuardrailConfigMapReader.read(m)).errors().forEach(e -> problems.add(m.location() + ": " + e.text()));
            } catch (InvalidObject e) {
                problems.add(e.getMessage());
            }
        }
        ServiceAccountLookup serviceAccounts;
        try {
            serviceAccounts = new ManifestServiceAccountLookup(objects.serviceAccounts(), "");
        } catch (ManifestException e) {
            problems.add(e.getMessage());
            serviceAccounts = new ManifestServiceAccountLookup(List.of(), "");
        }
        GuardrailSnapshot snapshot = guardrails.snapshot();
        ServiceAccountLookup accounts = serviceAccounts;
        Function<io.idgate.reach.ReachPeer, Set<String>> groups = peer -> {
            var found = accounts.resolve(peer.namespace(), peer.serviceAccount()).toCompletableFuture().join();
            // a ServiceAccount the inputs do not hold still has its name and namespace: namespace and name members match it
            ServiceAccountInfo sa = found instanceof ServiceAccountLookup.Found f ? f.serviceAccount()
                    : new ServiceAccountInfo(peer.namespace(), peer.serviceAccount(), Map.of(), null);
            return snapshot.groupsOf(deriver.identityOf(sa));
        };
        WorldBuilder builder = new WorldBuilder(ReachWorlds::bind).groups(groups);
        for (Manifest m : objects.all()) {
            if (!"ConfigMap".equals(m.kind()) && !"ServiceAccount".equals(m.kind())) {
                builder.add(m.location(), (com.fasterxml.jackson.databind.node.ObjectNode) m.object());
            }
        }
        World world = builder.build(); // binding and checking the policies happens here, so problems are known after it
        builder.problems().forEach(p -> problems.add(p.toString()));
        return new Loaded(world, problems, world.warnings(), snapshot);
    }

    private static NetworkPolicy bind(com.fasterxml.jackson.databind.node.ObjectNode node) {
        try {
            return NetworkPolicyBinder.bind(node, "object");
        } catch (InvalidObject e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
