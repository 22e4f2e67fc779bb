package io.idgate.admission;


import io.idgate.engine.PodIdentityResolver;
import io.idgate.engine.PodMutationPreview;
import io.idgate.engine.NetworkPolicyJudge;
import io.idgate.engine.LiveReach;
import io.idgate.engine.ReachAdmission;
import io.idgate.engine.ReachWorlds;
import io.idgate.k8s.ManifestReachSource;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.GuardrailWatcher;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * Every admission endpoint, case by case, from {@code src/test/resources/fixtures/<suite>/<case>/}:
 * the request bytes go through the same decoding, handler and encoding as on the server.
 *
 * <p>A case sees the ServiceAccounts of its {@code serviceaccounts.yaml} (default: the shared test
 * manifests), the guardrail ConfigMaps of its {@code guardrails.yaml} (default: the suite's
 * {@code guardrails.yaml}, else none), the NetworkPolicies of its {@code networkpolicies.yaml}, and
 * the settings of its {@code settings.properties}. NetworkPolicy cases may add a {@code world.yaml}
 * (namespaces, workloads, pods, existing policies) for the reachability preview.
 */
class AdmissionFixturesTest {

    private static final String GUARDRAILS_NAMESPACE = "idgate-system";

    /** Builds a suite's handler from the world of one case. */
    private static final Map<String, Function<World, AdmissionHandler>> SUITES = Map.of(
            "mutate-pods", w -> new PodMutationHandler(new PodMutationPreview(w.identities())),
            "validate-pods", w -> new PodValidationHandler(w.identities(), reach(w, false), v -> {}),
            "validate-namespaces", w -> new NamespaceHandler(reach(w, false), v -> {}),
            "validate-workloads", w -> new WorkloadHandler(serviceAccountUse(w)),
            "validate-networkpolicies", w -> networkPolicies(w, Boolean.parseBoolean(w.c().settings().getProperty("reach-preview", "true"))),
            "validate-guardrails", w -> new GuardrailConfigMapHandler(w.guardrails(), GUARDRAILS_NAMESPACE, "idgate.io/guardrails"));

    /**
     * The NetworkPolicy webhook of a case: stored policies are those of {@code networkpolicies.yaml}
     * and {@code world.yaml}; reachability's world is {@link #reach}'s.
     */
    static NetworkPolicyHandler networkPolicies(World w, boolean preview) {
        List<Manifest> stored = new java.util.ArrayList<>(w.read("networkpolicies.yaml", null));
        List<Manifest> world = w.read("world.yaml", null);
        stored.addAll(world.stream().filter(m -> "NetworkPolicy".equals(m.kind())).toList());
        var judge = new NetworkPolicyJudge(w.guardrails()::snapshot, new ManifestNetworkPolicySource(stored), w.deriver().config());
        boolean invariants = !w.guardrails().snapshot().invariants().isEmpty();
        if (!preview && !invariants) {
            return new NetworkPolicyHandler(judge, v -> {});
        }
        return new NetworkPolicyHandler(judge, v -> {}, reach(w, preview));
    }

    /**
     * Reachability at admission for a case: the world is {@code world.yaml} (namespaces, workloads, pods,
     * policies) plus {@code networkpolicies.yaml}, labelled as the webhook would label its pods. It runs
     * on the calling thread with budgets of 10 s, so a slow machine never skips it; a case's
     * {@code reach-preview-budget-ms} / {@code invariant-budget-ms} of 0 forces a skip.
     */
    static ReachAdmission reach(World w, boolean preview) {
        List<Manifest> all = new java.util.ArrayList<>(w.read("world.yaml", null));
        all.addAll(w.read("networkpolicies.yaml", null));
        var accounts = new ManifestServiceAccountLookup(World.readFile(w.c(), "serviceaccounts.yaml",
                Path.of("src/test/resources/manifests/serviceaccounts.yaml")));
        var live = new LiveReach(new ManifestReachSource(all), w.deriver().keys(),
                world -> ReachWorlds.stamped(world, w.deriver(), accounts, w.guardrails().snapshot()));
        var settings = w.c().settings();
        var previewBudget = java.time.Duration.ofMillis(Long.parseLong(settings.getProperty("reach-preview-budget-ms", "10000")));
        var invariantBudget = java.time.Duration.ofMillis(Long.parseLong(settings.getProperty("invariant-budget-ms", "10000")));
        return new ReachAdmission(live, w.guardrails()::snapshot, w.deriver().config(), preview, previewBudget, invariantBudget, Runnable::run);
    }

    /**
     * The ServiceAccount-use check of a case, over a fake API server: {@code grants} lists
     * {@code <user> <namespace>/<serviceAccount>} pairs (separated by {@code ;}) that may {@code use};
     * {@code authorizer} is {@code answers} (default), {@code silent} (never answers, so any question shows
     * as a refusal) or {@code answers-once} (then silent); answers wait {@code authorizer-timeout-ms}
     * (default 200).
     */
    static io.idgate.engine.ServiceAccountUseCheck serviceAccountUse(World w) {
        var settings = w.c().settings();
        java.util.Set<String> grants = java.util.Arrays.stream(settings.getProperty("grants", "").split(";"))
                .map(String::trim).filter(g -> !g.isEmpty()).collect(java.util.stream.Collectors.toSet());
        String mode = settings.getProperty("authorizer", "answers");
        int[] answered = {0};
        io.idgate.k8s.ServiceAccountAuthorizer authorizer = (requester, namespace, serviceAccount) -> {
            if (mode.equals("silent") || mode.equals("answers-once") && answered[0]++ > 0) {
                return new java.util.concurrent.CompletableFuture<>();
            }
            return java.util.concurrent.CompletableFuture.completedFuture(grants.contains(requester.username() + " " + namespace + "/" + serviceAccount));
        };
        var timeout = java.time.Duration.ofMillis(Long.parseLong(settings.getProperty("authorizer-timeout-ms", "200")));
        return new io.idgate.engine.ServiceAccountUseCheck(w.guardrails()::snapshot, authorizer, timeout, java.time.Duration.ofSeconds(10), 100,
                System::nanoTime);
    }

    /** A case's {@code requests-before} (default 0): the request is served that many times first, with the same handler (to warm caches). */
    @TestFactory
    Stream<DynamicContainer> fixtures() {
        return SUITES.keySet().stream().sorted().map(suite -> dynamicContainer(suite, Fixtures.cases(suite).map(c -> dynamicTest(c.name(), () -> {
            World world = new World(c);
            var server = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()));
            AdmissionHandler handler = SUITES.get(suite).apply(world);
            for (int i = Integer.parseInt(c.settings().getProperty("requests-before", "0")); i > 0; i--) {
                server.serve(suite, handler, "application/json", c.request()).toCompletableFuture().join();
            }
            var response = server.serve(suite, handler, "application/json", c.request()).toCompletableFuture().join();
            c.assertAnswer(response.status(), response.body());
        }))));
    }

    /** The preview never decides: every NetworkPolicy case answers the same allowed and status with it on and off. */
    @TestFactory
    Stream<org.junit.jupiter.api.DynamicTest> previewNeverChangesADecision() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        return Fixtures.cases("validate-networkpolicies").map(c -> dynamicTest(c.name(), () -> {
            List<com.fasterxml.jackson.databind.JsonNode> answers = new java.util.ArrayList<>();
            for (boolean preview : new boolean[] {true, false}) {
                var server = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()));
                var response = server.serve("validate-networkpolicies", networkPolicies(new World(c), preview), "application/json", c.request())
                        .toCompletableFuture().join();
                var body = json.readTree(response.body());
                answers.add(json.createObjectNode().put("http", response.status())
                        .set("decision", json.createObjectNode().setAll(java.util.Map.of(
                                "allowed", body.path("response").path("allowed"), "status", body.path("response").path("status")))));
            }
            org.junit.jupiter.api.Assertions.assertEquals(answers.get(1), answers.get(0), c.name());
        }));
    }

    /** The objects and settings one case runs against. */
    record World(Fixtures.Case c, IdentityDeriver deriver, GuardrailConfigMaps guardrails, PodIdentityResolver identities) {

        World(Fixtures.Case c) {
            this(c, deriver(c), new GuardrailConfigMaps(), null);
        }

        World {
            new GuardrailWatcher(guardrails, readFile(c, "guardrails.yaml", c.dir().getParent().resolve("guardrails.yaml")),
                    GUARDRAILS_NAMESPACE, deriver.keys().prefix() + "/guardrails");
            identities = new PodIdentityResolver(
                    new ManifestServiceAccountLookup(readFile(c, "serviceaccounts.yaml", Path.of("src/test/resources/manifests/serviceaccounts.yaml"))),
                    deriver,
                    OnMissing.valueOf(c.settings().getProperty("on-missing", "deny").toUpperCase(Locale.ROOT)),
                    guardrails::snapshot,
                    source -> {});
        }

        List<Manifest> read(String file, Path fallback) {
            return readFile(c, file, fallback);
        }

        static List<Manifest> readFile(Fixtures.Case c, String file, Path fallback) {
            Path path = Files.exists(c.file(file)) ? c.file(file) : fallback;
            return path != null && Files.exists(path) ? ManifestReader.read(path) : List.of();
        }

        private static IdentityDeriver deriver(Fixtures.Case c) {
            var settings = c.settings();
            return new IdentityDeriver(new IdentityConfig(
                    settings.getProperty("label-prefix", "idgate.io"),
                    settings.getProperty("trust-domain", "cluster.local"),
                    settings.getProperty("oidc-issuer", "https://kubernetes.default.svc.cluster.local")));
        }
    }
}
