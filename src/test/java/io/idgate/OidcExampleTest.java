package io.idgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.idgate.engine.PodIdentityResolver;
import io.idgate.config.IdgateConfig;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.GuardrailWatcher;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.idgate.oidc.IdentityTokenVerifier;
import io.idgate.oidc.KeySets;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OIDC walk-through of docs/oidc.md, run: the example provider's ConfigMap and token
 * (examples/oidc/mint-token.py) give a pod the group label and verified-by, as the webhook computes it.
 */
class OidcExampleTest {

    @TempDir
    Path idp;

    private String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", "examples/oidc/mint-token.py"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("IDP_DIR", idp.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mint-token.py " + String.join(" ", args));
        return out;
    }

    @Test
    void aTokenMintedByTheExampleProviderLabelsThePod() throws Exception {
        assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is needed by the example script");
        run("keys");
        String configMap = run("configmap");
        String token = run("token", "--sub", "system:serviceaccount:payments:api", "--groups", "payments,hr").strip();
        String serviceAccount = """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: api
                  namespace: payments
                  annotations:
                    idgate.io/identity-token: %s
                """.formatted(token);
        var manifests = new ArrayList<>(ManifestReader.read("configmap", new ByteArrayInputStream(configMap.getBytes(StandardCharsets.UTF_8))));
        manifests.addAll(ManifestReader.read("sa", new ByteArrayInputStream(serviceAccount.getBytes(StandardCharsets.UTF_8))));

        GuardrailConfigMaps guardrails = new GuardrailConfigMaps();
        new GuardrailWatcher(guardrails, manifests, "idgate-system", "idgate.io/guardrails");
        assertEquals(1, guardrails.snapshot().issuers().size(), guardrails.states().toString());
        var deriver = new IdentityDeriver(IdentityConfig.DEFAULTS);
        var tokens = new IdentityTokenVerifier(guardrails::snapshot, new KeySets(HttpClient.newHttpClient(), Clock.systemUTC()),
                Clock.systemUTC(), "idgate.io/identity-token", "cluster.local");
        List<String> results = new ArrayList<>();
        var identities = new PodIdentityResolver(new ManifestServiceAccountLookup(manifests), deriver, IdgateConfig.OnMissing.DENY,
                guardrails::snapshot, source -> {}, tokens, results::add);

        var outcome = (PodIdentityResolver.Derived) identities.resolve("payments", "api").toCompletableFuture().join();
        DerivedIdentity derived = outcome.identity();
        assertEquals("true", derived.labels().get("groups.idgate.io/payments-verified"));
        assertEquals("demo-idp", derived.labels().get("idgate.io/verified-by"));
        assertEquals("demo-idp", derived.annotations().get("idgate.io/verified-by"));
        assertEquals(List.of("verified"), results);
        assertEquals(List.of("identity token of issuer demo-idp: claim groups value \"hr\" is not in the issuer's allow-list; ignored"),
                outcome.tokenWarnings());
    }
}
