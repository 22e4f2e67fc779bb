package io.idgate.admission;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.identity.GroupMembership;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.ManifestServiceAccountLookup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The pod webhooks, case by case, from {@code src/test/resources/fixtures/{mutate,validate}-pods}:
 * the request bytes go through the same decoding, handler and encoding as on the server.
 */
class PodFixturesTest {

    @TestFactory
    Stream<DynamicTest> mutatePods() {
        return run("mutate-pods", PodMutationHandler::new);
    }

    @TestFactory
    Stream<DynamicTest> validatePods() {
        return run("validate-pods", PodValidationHandler::new);
    }

    private static Stream<DynamicTest> run(String suite, Function<PodIdentities, AdmissionHandler> handlerFor) {
        return Fixtures.cases(suite).map(c -> dynamicTest(c.name(), () -> {
            var settings = c.settings();
            Path serviceAccounts = Files.exists(c.file("serviceaccounts.yaml"))
                    ? c.file("serviceaccounts.yaml")
                    : Path.of("src/test/resources/manifests/serviceaccounts.yaml");
            var identities = new PodIdentities(
                    new ManifestServiceAccountLookup(ManifestReader.read(serviceAccounts)),
                    new IdentityDeriver(new IdentityConfig(
                            settings.getProperty("label-prefix", "idgate.io"),
                            settings.getProperty("trust-domain", "cluster.local"),
                            settings.getProperty("oidc-issuer", "https://kubernetes.default.svc.cluster.local"))),
                    OnMissing.valueOf(settings.getProperty("on-missing", "deny").toUpperCase(Locale.ROOT)),
                    () -> GroupMembership.NONE,
                    source -> {});
            var server = new AdmissionServer(new AdmissionMetrics(new SimpleMeterRegistry()));
            Response response = server.serve(suite, handlerFor.apply(identities), "application/json", c.request())
                    .toCompletableFuture().join();
            c.assertAnswer(response.getStatus(), (byte[]) response.getEntity());
        }));
    }
}
