package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policies {@code idgate generate} writes for {@code examples/generate} go through the real API
 * server and idgate's own NetworkPolicy webhook under the example's guardrails: every one is admitted,
 * while a hand-written policy breaking the same guardrails is refused.
 *
 * <p>The shared cluster holds other suites' guardrails ({@code examples/cluster} defines group
 * {@code payments} and rules on {@code pci-*}), so the example is applied with its namespaces, groups
 * and rules prefixed {@code e2e-gen-}: the same intents, the same generator, names of its own.
 */
@Tag("e2e")
class GenerateE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();
    private static final String PREFIX = "e2e-gen-";
    private static final List<String> NAMESPACES = List.of("ingress-nginx", "shop-frontend", "payments", "pci-cards", "monitoring");
    private static final Pattern GROUPS = Pattern.compile("(group:|^      )(checkout|payments|pci)\\b", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @AfterAll
    static void cleanUp() {
        k8s.kubectl("-n", "idgate-system", "delete", "configmap", PREFIX + "guardrails", "--ignore-not-found");
    }

    /** The example's text with its namespaces, groups and rule names prefixed. */
    private static String prefixed(String text) {
        for (String ns : NAMESPACES) {
            text = text.replaceAll("(?<![\\w-])" + Pattern.quote(ns) + "(?![\\w-])", PREFIX + ns);
        }
        text = text.replace("\"pci-*\"", "\"" + PREFIX + "pci-*\"").replace("guardrails-generate", PREFIX + "guardrails");
        text = GROUPS.matcher(text).replaceAll("$1" + PREFIX + "$2");
        return text.replace("name: payments-by-identity", "name: " + PREFIX + "payments-by-identity")
                .replace("name: pci-ingress-from-payments", "name: " + PREFIX + "pci-ingress-from-payments");
    }

    @Test
    void theGeneratedPoliciesOfTheExampleAreAdmittedUnderItsGuardrails() throws Exception {
        Path cluster = Files.createDirectories(dir.resolve("cluster"));
        for (String file : List.of("guardrails.yaml", "namespaces.yaml", "serviceaccounts.yaml", "workloads.yaml")) {
            Files.writeString(cluster.resolve(file), prefixed(Files.readString(Path.of("examples/generate/cluster", file))));
        }
        Path intents = dir.resolve("intents.yaml");
        Files.writeString(intents, prefixed(Files.readString(Path.of("examples/generate/intents.yaml"))));
        Process p = new ProcessBuilder(E2eCluster.ROOT.resolve("bin/idgate").toString(), "generate", intents.toString(), cluster.toString())
                .redirectOutput(dir.resolve("networkpolicies.yaml").toFile()).redirectError(dir.resolve("stderr").toFile()).start();
        int exit = p.waitFor();
        String stderr = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        assertEquals(0, exit, stderr);
        assertTrue(stderr.contains("proof: reachability under the generated policies equals the intents among 8 identities"), stderr);
        String policies = Files.readString(dir.resolve("networkpolicies.yaml"));
        long count = policies.lines().filter(l -> l.equals("kind: NetworkPolicy")).count();
        assertTrue(count >= 20, "the example's policies: " + count);

        // the example's guardrails, its namespaces (labelled kubernetes.io/metadata.name as newer API servers do) and ServiceAccounts
        var applied = k8s.kubectl("apply", "-f", cluster.resolve("guardrails.yaml").toString());
        assertTrue(applied.ok(), applied.toString());
        k8s.namespace(NAMESPACES.stream().map(ns -> PREFIX + ns).toArray(String[]::new));
        var accounts = k8s.kubectl("apply", "-f", cluster.resolve("serviceaccounts.yaml").toString());
        assertTrue(accounts.ok(), accounts.toString());
        String breaking = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: hand-written, namespace: e2e-gen-payments}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: checkout}}}]
                      ports: [{protocol: TCP, port: 9090}]
                """;
        // in force once a policy breaking them is refused (a first policy in a namespace without default deny is)
        E2eCluster.await("the example's guardrails in force", () -> {
            var r = k8s.kubectlIn(breaking, "apply", "--dry-run=server", "-f", "-");
            return !r.ok() && r.err().contains("[" + PREFIX + "payments-by-identity (idgate-system/" + PREFIX + "guardrails)]");
        });

        var generated = k8s.kubectl("apply", "-f", dir.resolve("networkpolicies.yaml").toString());
        E2eCluster.log("kubectl apply of the generated policies:%n%s%s", generated.out(), generated.err());
        assertTrue(generated.ok(), generated.toString());
        assertFalse(generated.err().contains("denied"), generated.err());
        var stored = k8s.kubectl("get", "networkpolicies", "--all-namespaces", "-l", "app.kubernetes.io/managed-by=idgate", "-o", "name");
        assertEquals(count, stored.out().lines().filter(l -> !l.isBlank()).count(), stored.toString());

        // the same guardrails still refuse what they must, now that the namespace has its default deny
        var refused = k8s.kubectlIn(breaking, "apply", "-f", "-");
        assertFalse(refused.ok(), refused.toString());
        assertTrue(refused.err().contains("selects pods by labels any pod author can set"), refused.err());
    }
}
