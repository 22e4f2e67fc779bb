package io.idgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.idgate.engine.PodIdentityResolver;
import io.idgate.config.IdgateConfig;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.ParseResult;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
        var outcome = resolve(List.of("configmap"), List.of("--groups", "payments,hr"));
        DerivedIdentity derived = outcome.identity();
        assertEquals("true", derived.labels().get("groups.idgate.io/payments-verified"));
        assertEquals("demo-idp", derived.labels().get("idgate.io/verified-by"));
        assertEquals("demo-idp", derived.annotations().get("idgate.io/verified-by"));
        assertEquals(List.of("identity token of issuer demo-idp: claim groups value \"hr\" is not in the issuer's allow-list; ignored"),
                outcome.tokenWarnings());
    }

    record Shape(String name, List<String> tokenArgs, List<String> warnings) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Shape> shapes() {
        return Stream.of(
                new Shape("okta", List.of("--groups", "payments,Everyone"),
                        List.of("identity token of issuer okta: claim groups value \"Everyone\" is not in the issuer's allow-list; ignored")),
                new Shape("keycloak", List.of("--groups", "payments"), List.of(
                        "identity token of issuer keycloak: claim /realm_access/roles value \"offline_access\" is not in the issuer's"
                                + " allow-list; ignored",
                        "identity token of issuer keycloak: claim /resource_access/idgate/roles is not in the token; no group from it")),
                new Shape("azure", List.of("--groups", "0b6f1a9e-3c2d-4e5f-8a7b-9c0d1e2f3a4b", "--roles", "Payments.Writer"), List.of()),
                new Shape("google", List.of("--hd", "example.com"), List.of()),
                new Shape("auth0", List.of("--groups", "payments"), List.of()));
    }

    /** docs/oidc-providers.md: each provider's layout, minted by the toy provider, gives the pod that provider's group. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void aTokenInEachProvidersShapeLabelsThePod(Shape shape) throws Exception {
        var outcome = resolve(List.of("configmap", "--shape", shape.name()), Stream.concat(Stream.of("--shape", shape.name()),
                shape.tokenArgs().stream()).toList());
        assertEquals("true", outcome.identity().labels().get("groups.idgate.io/payments-" + shape.name()), outcome.identity().labels()
                .toString());
        assertEquals(shape.name(), outcome.identity().labels().get("idgate.io/verified-by"));
        assertEquals(shape.warnings(), outcome.tokenWarnings());
    }

    /** Every guardrail document docs/oidc-providers.md shows is one idgate accepts, pointers and all. */
    @Test
    void theProviderPagesGuardrailDocumentsParse() throws Exception {
        String doc = Files.readString(Path.of("docs/oidc-providers.md"));
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> issuers = new ArrayList<>();
        while (block.find()) {
            var parsed = GuardrailParser.parse("idgate-system", "providers", "doc.yaml", block.group(1));
            if (parsed instanceof ParseResult.Invalid invalid) {
                throw new AssertionError(invalid.errors() + "\n" + block.group(1));
            }
            issuers.addAll(((ParseResult.Parsed) parsed).document().issuers().keySet());
        }
        assertEquals(List.of("okta", "keycloak", "azure", "google", "auth0"), issuers);
    }

    /** Mints keys, the guardrail ConfigMap and a token for payments/api, and resolves the pod identity as the webhook does. */
    private PodIdentityResolver.Derived resolve(List<String> configMapArgs, List<String> tokenArgs) throws Exception {
        assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is needed by the example script");
        run("keys");
        String configMap = run(configMapArgs.toArray(String[]::new));
        List<String> token = new ArrayList<>(List.of("token", "--sub", "system:serviceaccount:payments:api"));
        token.addAll(tokenArgs);
        String tokenText = run(token.toArray(String[]::new)).strip();
        String serviceAccount = """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: api
                  namespace: payments
                  annotations:
                    idgate.io/identity-token: %s
                """.formatted(tokenText);
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
        assertEquals(List.of("verified"), results, outcome.tokenWarnings().toString());
        return outcome;
    }
}
