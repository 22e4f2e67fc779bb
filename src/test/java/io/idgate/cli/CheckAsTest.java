package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.idgate.engine.Finding;
import io.idgate.guardrails.Action;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.ServiceAccountAuthorizer;
import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import io.idgate.review.ManifestCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code idgate check --as USER --as-group G}: the flags, the requester they name (as the API server
 * names an impersonated user), and the words of each answer. The API server itself answers in
 * {@code ServiceAccountUseE2eTest}; here {@link ManifestCheck} gets the answers directly.
 */
class CheckAsTest {

    private static final String INPUT = "src/test/resources/cli/inputs/a-workload-in-a-namespace-service-account-use-covers";
    private static final String MANIFESTS = INPUT + "/manifests.yaml";

    @Test
    void theRequesterIsTheImpersonatedUserWithSystemAuthenticatedAdded() {
        assertEquals(new Requester("eve", "", List.of("payments-devs", "system:authenticated"), Map.of()),
                CheckCommand.requester("eve", List.of("payments-devs")));
        assertEquals(List.of("system:authenticated"), CheckCommand.requester("eve", List.of()).groups());
        assertEquals(List.of("a", "system:authenticated"), CheckCommand.requester("eve", List.of("a", "system:authenticated", "a")).groups(),
                "given once, not twice");
        assertEquals(List.of("system:unauthenticated"), CheckCommand.requester("system:anonymous", List.of()).groups());
        assertEquals(null, CheckCommand.requester(null, List.of()));
    }

    @Test
    void aGroupWithoutAUserOrAnEmptyUserIsRefusedNamingTheFlag() {
        assertEquals("--as-group payments-devs needs --as USER: a group belongs to the user the files are checked for"
                + " (e.g. --as alice --as-group payments-devs)", assertThrows(UsageError.class,
                        () -> CheckCommand.requester(null, List.of("payments-devs"))).getMessage());
        assertTrue(assertThrows(UsageError.class, () -> CheckCommand.requester(" ", List.of())).getMessage().startsWith("--as is empty;"));
        assertTrue(assertThrows(UsageError.class, () -> CheckCommand.requester("eve", List.of(""))).getMessage().startsWith("--as-group is empty;"));

        CliRun run = CliRun.of("check", "-f", INPUT, "--as-group", "payments-devs");
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("error: --as-group payments-devs needs --as USER"), run.err());
    }

    @Test
    void aRefusalIsADenyLineOfTheWorkloadInTheWebhooksWords() {
        List<String> asked = new ArrayList<>();
        var result = check((requester, ns, sa) -> {
            asked.add(requester.username() + " " + requester.groups() + " " + ns + "/" + sa);
            return CompletableFuture.completedFuture(false);
        });
        assertEquals(List.of("eve [payments-devs, system:authenticated] payments/ledger"), asked, "only the covered namespace is asked about");
        Finding ledger = result.findings().stream().filter(f -> f.name().equals("ledger")).findFirst().orElseThrow();
        assertFalse(ledger.webhookAllows());
        assertEquals(List.of("[serviceAccountUse] spec.template.spec.serviceAccountName: \"eve\" (groups payments-devs, system:authenticated)"
                + " may not use ServiceAccount payments/ledger; grant it with a Role in namespace payments bound to them, with the rule"
                + " - {apiGroups: [\"\"], resources: [serviceaccounts], resourceNames: [ledger], verbs: [use]}"), ledger.lines(Action.DENY));
        assertTrue(result.findings().stream().filter(f -> f.name().equals("web")).allMatch(Finding::webhookAllows));
        assertTrue(result.notes().stream().noneMatch(n -> n.contains("kubectl auth can-i")), "asked, so no advice to ask: " + result.notes());
    }

    @Test
    void anAllowedOneIsANoteAndTheFindingStaysClean() {
        var result = check((requester, ns, sa) -> CompletableFuture.completedFuture(true));
        assertTrue(result.findings().stream().allMatch(Finding::webhookAllows));
        assertEquals(List.of(MANIFESTS + " (document 3): Deployment payments/ledger runs as ServiceAccount payments/ledger: \"eve\""
                + " (groups payments-devs, system:authenticated) may use it (asked the API server)"), result.notes());
    }

    @Test
    void anUnansweredQuestionIsAnErrorAskedOnce() {
        int[] calls = {0};
        var result = check((requester, ns, sa) -> {
            calls[0]++;
            return CompletableFuture.failedFuture(new IllegalStateException("down"));
        });
        assertEquals(List.of(MANIFESTS + " (document 3): Deployment payments/ledger: could not ask whether eve may use its ServiceAccount:"
                + " why: IllegalStateException"), result.inputErrors());
        assertEquals(1, calls[0]);
    }

    /** A kubeconfig whose server does not listen: one line naming the server and the fix, no stack trace, no long wait. */
    @Test
    void anUnreachableApiServerIsOneLineNamingIt() {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1")
                .build()).build()) {
            long t0 = System.nanoTime();
            CliRun run = CliRun.withInput("", client, "check", "-f", INPUT, "--as", "eve");
            assertEquals(2, run.exit(), run.err());
            assertEquals(List.of("error: " + MANIFESTS + " (document 3): Deployment payments/ledger: could not ask whether eve may use its"
                        + " ServiceAccount: cannot reach https://127.0.0.1:1/ (IOException); check KUBECONFIG, the current context (or --context)"
                    + " and the network"), run.err().lines().filter(l -> l.startsWith("error: ")).limit(1).toList());
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(CheckCommand.AS_TIMEOUT) < 0);
        }
    }

    private static ManifestCheck.Result check(ServiceAccountAuthorizer authorizer) {
        var askAs = new ManifestCheck.AskAs(authorizer, CheckCommand.requester("eve", List.of("payments-devs")), Duration.ofSeconds(1),
                cause -> "why: " + cause.getClass().getSimpleName());
        return new ManifestCheck(new IdentityDeriver(IdentityConfig.DEFAULTS), "default", null, askAs)
                .check(ManifestReader.read(Path.of(INPUT)), List.of());
    }
}
