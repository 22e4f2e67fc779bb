package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * make deploy registers the failurePolicy Fail webhooks only once idgate's rollout is ready. This API
 * server runs no controllers, so the Deployment never becomes ready: make deploy must fail with its
 * message and leave no webhook configuration named idgate, and pods are still admitted.
 */
@Tag("e2e")
class DeployE2eTest {

    private final E2eCluster k8s = E2eCluster.get();

    @Test
    void aRolloutThatIsNotReadyFailsMakeDeployAndRegistersNoWebhook() throws Exception {
        // make deploy on an overlay of the certs one: v1.20 has no policy/v1, so the PodDisruptionBudget is left out
        Path overlay = E2eCluster.ROOT.resolve("k8s/overlays/e2e-deploy");
        Files.createDirectories(overlay.resolve("webhooks"));
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [../certs]
                patches:
                  - patch: |-
                      $patch: delete
                      apiVersion: policy/v1
                      kind: PodDisruptionBudget
                      metadata: {name: idgate, namespace: idgate-system}
                """);
        Files.writeString(overlay.resolve("webhooks/kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [../../certs/webhooks]
                """);
        k8s.unregisterWebhooks(); // the suite's own registration, named idgate too
        try {
            long t0 = System.nanoTime();
            var deploy = k8s.command(List.of("make", "-s", "deploy", "DEPLOY_OVERLAY=k8s/overlays/e2e-deploy", "DEPLOY_TIMEOUT=5s"));
            E2eCluster.log("make deploy with a rollout that never gets ready: exit %d after %.1f s; %s", deploy.exit(),
                    (System.nanoTime() - t0) / 1e9, deploy.err().lines().filter(l -> l.startsWith("make deploy:")).findFirst().orElse("(no message)"));
            assertFalse(deploy.ok(), deploy.toString());
            assertTrue(deploy.out().contains("deployment.apps/idgate"), "idgate itself was applied: " + deploy);
            assertTrue(deploy.err().contains("make deploy: idgate is not ready after 5s, so its webhooks were not registered"), deploy.toString());
            for (String config : List.of("mutatingwebhookconfiguration/idgate", "validatingwebhookconfiguration/idgate")) {
                var got = k8s.kubectl("get", config);
                assertFalse(got.ok(), config + " must not exist: " + got);
                assertTrue(got.err().contains("NotFound"), got.toString());
            }
            k8s.namespace("e2e-deploy");
            var pod = k8s.kubectl("-n", "e2e-deploy", "run", "while-idgate-is-not-ready", "--image=busybox", "--restart=Never");
            assertTrue(pod.ok(), "nothing refuses pods while idgate is not ready: " + pod);
        } finally {
            k8s.kubectl("-n", "idgate-system", "delete", "deployment/idgate", "service/idgate", "networkpolicy/idgate", "secret/idgate-tls",
                    "--ignore-not-found");
            Files.deleteIfExists(overlay.resolve("webhooks/kustomization.yaml"));
            Files.deleteIfExists(overlay.resolve("webhooks"));
            Files.deleteIfExists(overlay.resolve("kustomization.yaml"));
            Files.deleteIfExists(overlay);
            k8s.registerWebhooks();
        }
    }
}
