package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code idgate audit} against the real API server, with idgate's own RBAC: a pod whose ServiceAccount
 * gained a cloud identity after the pod was created no longer matches a fresh derivation.
 */
@Tag("e2e")
class AuditE2eTest {

    private final E2eCluster k8s = E2eCluster.get();

    @Test
    void aPodWhoseServiceAccountChangedSinceItsCreationIsReported() {
        k8s.namespace("e2e-audit");
        k8s.kubectlOk("-n", "e2e-audit", "create", "serviceaccount", "web");
        k8s.kubectlOk("-n", "e2e-audit", "run", "web-0", "--image=busybox", "--restart=Never", "--overrides",
                "{\"spec\":{\"serviceAccountName\":\"web\"}}");
        var before = k8s.idgateCli("audit", "-o", "text");
        assertTrue(!before.out().contains("e2e-audit/web-0") || !before.out().contains("aws-role-arn"), before.toString());

        k8s.kubectlOk("-n", "e2e-audit", "annotate", "serviceaccount", "web", "eks.amazonaws.com/role-arn=arn:aws:iam::123456789012:role/web");
        var after = k8s.idgateCli("audit", "-o", "text");
        assertEquals(1, after.exit(), after.toString());
        assertTrue(after.out().contains("e2e-audit/web-0"), after.out());
        assertTrue(after.out().contains("idgate.io/aws-role-arn"), after.out());
    }
}
