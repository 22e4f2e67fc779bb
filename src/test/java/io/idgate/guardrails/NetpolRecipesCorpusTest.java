package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.identity.IdentityConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real-world NetworkPolicy recipes (shared/corpus/netpol-recipes, next to the project) through
 * a strict guardrail set and a permissive one. Skipped when the corpus is not there.
 */
class NetpolRecipesCorpusTest {

    private static final Path CORPUS = Path.of("..", "shared", "corpus", "netpol-recipes");
    private static final Pattern SHAPE = Pattern.compile("^\\[[a-z0-9-]+ \\([a-z0-9-]+/[a-z0-9.-]+\\)\\] [^ :]+: [^;]+; .+$");

    private static final GuardrailSnapshot STRICT = Fixtures.snapshot("""
            groups:
              payments:
                members: [{serviceAccount: "payments/*"}]
            rules:
              - name: strict
                require:
                  identityPeers: true
                  ingressFrom: ["group:payments", "serviceAccount:frontend/web", "namespace:monitoring"]
                  egressTo: ["group:payments", "namespace:kube-system"]
                  ipBlocks: {ingress: [], egress: ["10.0.0.0/8"]}
                  noAllowAll: true
                  ports: true
                  defaultDeny: true
                  immutableNamespaceSelectors: true
            """);

    private static final GuardrailSnapshot PERMISSIVE = Fixtures.snapshot("""
            rules:
              - name: permissive
                action: warn
                require:
                  ipBlocks: {ingress: ["0.0.0.0/0", "::/0"], egress: ["0.0.0.0/0", "::/0"]}
            """);

    static Stream<Path> recipes() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "corpus not found at " + CORPUS.toAbsolutePath() + "; skipping");
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assumeTrue(!files.isEmpty(), "corpus at " + CORPUS.toAbsolutePath() + " has no .yaml files; skipping");
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void everyRecipeEvaluatesToWellFormedLines(Path file) throws IOException {
        NetworkPolicy policy = Fixtures.policy(Files.readString(file));
        String ns = policy.getMetadata().getNamespace() == null ? "default" : policy.getMetadata().getNamespace();
        for (Operation op : Operation.values()) {
            NetworkPolicy newP = op == Operation.DELETE ? null : policy;
            NetworkPolicy oldP = op == Operation.CREATE ? null : policy;
            List<Violation> strict = GuardrailEvaluator.evaluate(op, newP, oldP, ns, List.of(policy), STRICT, IdentityConfig.DEFAULTS);
            for (Violation v : strict) {
                assertTrue(SHAPE.matcher(v.line()).matches(), "not [rule] path: problem; fix: " + v.line());
                assertFalse(v.fix().isBlank(), v.line());
            }
            if (op == Operation.CREATE) {
                assertFalse(strict.isEmpty(), "a strict identity guardrail should reject " + file.getFileName());
            }
            assertEquals(List.of(), GuardrailEvaluator.evaluate(op, newP, oldP, ns, List.of(policy), PERMISSIVE, IdentityConfig.DEFAULTS));
        }
    }
}
