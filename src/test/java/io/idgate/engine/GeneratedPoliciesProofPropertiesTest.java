package io.idgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.IntentReach;
import io.idgate.guardrails.Intents;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.NetworkPolicyBinder;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.ReachDiff;
import io.idgate.reach.Reachability;
import io.idgate.reach.Views;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For 300 seeded random worlds (namespaces, ServiceAccounts, workloads, guardrail groups) and random
 * intents (every kind of end, ports, defaults on and off), the proof holds: the identity view of
 * reachability under the generated policies equals what the intents allow. And the proof is not
 * vacuous: leaving out any one generated policy that changes reachability makes it fail.
 */
class GeneratedPoliciesProofPropertiesTest {

    private static final String[] NAMESPACES = {"shop", "payments", "ops"};
    private static final String[] ACCOUNTS = {"web", "api", "db"};
    private static final String[] GROUPS = {"front", "back"};
    private static final String[] PORTS = {"TCP 80", "TCP 8080-8090", "UDP 53", "TCP 80,443,UDP 53", "SCTP", "TCP 5432"};
    private static final String[] CIDRS = {"10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/24", "0.0.0.0/0"};
    private static final IdentityDeriver DERIVER = new IdentityDeriver(IdentityConfig.DEFAULTS);

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    record Case(String intents, List<Manifest> inputs) {}

    static Case random(long seed) {
        Random r = new Random(seed);
        StringBuilder inputs = new StringBuilder();
        StringBuilder groups = new StringBuilder();
        for (String g : GROUPS) {
            groups.append("      ").append(g).append(": {members: [");
            List<String> members = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                members.add(r.nextInt(3) == 0 ? "{namespace: " + pick(r, NAMESPACES) + "}"
                        : "{serviceAccount: " + pick(r, NAMESPACES) + "/" + (r.nextInt(4) == 0 ? "*" : pick(r, ACCOUNTS)) + "}");
            }
            groups.append(String.join(", ", members)).append("]}\n");
        }
        inputs.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: g, namespace: idgate-system, labels: {idgate.io/guardrails: \"true\"}}\n")
                .append("data:\n  groups.yaml: |\n    groups:\n").append(groups);
        for (int i = 0, n = 2 + r.nextInt(5); i < n; i++) {
            String ns = pick(r, NAMESPACES);
            inputs.append("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w").append(i).append(", namespace: ").append(ns)
                    .append("}\nspec:\n  template:\n    metadata: {labels: {app: w").append(i).append("}}\n    spec:\n      serviceAccountName: ")
                    .append(pick(r, ACCOUNTS)).append("\n      containers: [{name: c, image: x, ports: [{containerPort: ")
                    .append(r.nextBoolean() ? 80 : 8085).append("}]}]\n");
        }
        if (r.nextBoolean()) {
            inputs.append("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: coredns, namespace: kube-system}\nspec:\n  template:\n")
                    .append("    metadata: {labels: {k8s-app: kube-dns}}\n    spec: {serviceAccountName: coredns, containers: [{name: c, image: d}]}\n");
        }
        StringBuilder intents = new StringBuilder("intents:\n");
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            boolean cidrFrom = r.nextInt(6) == 0;
            boolean cidrTo = !cidrFrom && r.nextInt(6) == 0;
            intents.append("  - from: \"").append(cidrFrom ? "cidr:" + pick(r, CIDRS) : end(r)).append("\"\n");
            intents.append("    to: \"").append(cidrTo ? "cidr:" + pick(r, CIDRS) : end(r)).append("\"\n");
            if (r.nextInt(4) != 0) {
                intents.append("    ports: [\"").append(pick(r, PORTS)).append("\"").append(r.nextBoolean() ? ", \"" + pick(r, PORTS) + "\"" : "")
                        .append("]\n");
            }
        }
        intents.append("defaults: {defaultDeny: ").append(r.nextBoolean()).append(", dns: ").append(r.nextBoolean()).append("}\n");
        List<Manifest> manifests = ManifestReader.read("seed-" + seed, new ByteArrayInputStream(inputs.toString().getBytes(StandardCharsets.UTF_8)));
        return new Case(intents.toString(), manifests);
    }

    private static String end(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "group:" + pick(r, GROUPS);
            case 1 -> "serviceAccount:" + pick(r, NAMESPACES) + "/" + pick(r, ACCOUNTS);
            case 2 -> "serviceAccount:" + pick(r, NAMESPACES) + "/*";
            case 3 -> "namespace:" + pick(r, NAMESPACES);
            case 4 -> "serviceAccount:*/" + pick(r, ACCOUNTS);
            default -> "*";
        };
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theGeneratedPoliciesAllowExactlyTheIntents(long seed) {
        Case c = random(seed);
        ClusterObjects objects = ClusterObjects.of(c.inputs(), "default");
        IntentGeneration.Result result = IntentGeneration.run(objects, "intents.yaml", c.intents(), DERIVER);
        assertEquals(List.of(), result.problems(), "seed " + seed + "\n" + c.intents());
        assertNotNull(result.proof(), "seed " + seed);
        assertTrue(result.proof().isEmpty(), "seed " + seed + ": the proof fails\n" + c.intents() + "\n" + result.proof());
        // same input, same bytes
        assertEquals(result.policies(), IntentGeneration.run(objects, "intents.yaml", c.intents(), DERIVER).policies(), "seed " + seed);

        // not vacuous: without any one policy that matters, the proof says so
        ReachWorlds.Loaded loaded = ReachWorlds.of(objects, DERIVER);
        Intents intents = GuardrailParser.parseIntents("intents.yaml", c.intents(), loaded.guardrails().groups().keySet()).intents();
        List<PolicyRules> all = result.policies().stream().map(p -> PolicyRules.of(NetworkPolicyBinder.bind(p, "generated"))).toList();
        for (int i = 0; i < all.size(); i++) {
            List<PolicyRules> fewer = new ArrayList<>(all);
            fewer.remove(i);
            // both cut at the same address bounds, so only what the policy allows differs
            Reachability[] both = Reachability.comparable(loaded.world().withPolicies(all), loaded.world().withPolicies(fewer), DERIVER.keys());
            Reachability without = both[1];
            if (ReachDiff.of(Views.identity(both[0]), Views.identity(without)).isEmpty()) {
                continue; // a policy with no effect on these workloads (its pods are not among them)
            }
            ReachDiff proof = IntentReach.proof(intents, defaultDenied(result.policies()), without, DERIVER.config());
            assertFalse(proof.isEmpty(), "seed " + seed + ": the proof holds without " + all.get(i).id());
        }
    }

    /** The namespaces of the generated default-deny policies: where defaultDeny put one. */
    private static TreeSet<String> defaultDenied(List<ObjectNode> policies) {
        TreeSet<String> out = new TreeSet<>();
        policies.stream().filter(p -> p.path("metadata").path("name").asText().equals("idgate-default-deny"))
                .forEach(p -> out.add(p.path("metadata").path("namespace").asText()));
        return out;
    }
}
