package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Who may run as a ServiceAccount (design section 9), through the real API server with RBAC on: a user
 * who may create pods in {@code e2e-sau} but may not {@code use} ServiceAccount {@code ledger} cannot
 * create a pod as it; once a RoleBinding grants {@code use}, they can. The user is impersonated
 * ({@code kubectl --as}), so the SubjectAccessReview idgate sends names exactly that user and group.
 *
 * <p>The guardrail ConfigMap is this test's own and is removed afterwards, so other suites never see it.
 */
@Tag("e2e")
class ServiceAccountUseE2eTest {

    private static final E2eCluster k8s = E2eCluster.get();
    private static final String NS = "e2e-sau";
    private static final String[] AS_EVE = {"--as=eve", "--as-group=e2e-sau-devs"};

    private static final String GUARDRAILS = guardrails("e2e-service-account-use", "e2e-sau*");

    /** A guardrail ConfigMap {@code name} in idgate-system whose serviceAccountUse covers the namespaces of {@code glob}. */
    static String guardrails(String name, String glob) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: idgate-system
                  labels: {idgate.io/guardrails: "true"}
                data:
                  service-account-use.yaml: |
                    serviceAccountUse:
                      namespaces: ["%s"]
                """.formatted(name, glob);
    }

    /**
     * The rule a refusal names, as Role use-ledger in {@code namespace}, bound (RoleBinding {@code binding})
     * to the {@code kind} ({@code User} or {@code Group}) {@code subject}.
     */
    static String useLedger(String namespace, String binding, String kind, String subject) {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: use-ledger, namespace: %1$s}
                rules:
                  - {apiGroups: [""], resources: [serviceaccounts], resourceNames: [ledger], verbs: [use]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %2$s, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-ledger}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: %3$s, name: %4$s}]
                """.formatted(namespace, binding, kind, subject);
    }

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: ledger-%s, namespace: e2e-sau}
            spec:
              serviceAccountName: ledger
              containers: [{name: app, image: registry.example.com/ledger:1}]
            """;

    @BeforeAll
    static void world() {
        k8s.namespace(NS);
        var sa = k8s.kubectl("-n", NS, "create", "serviceaccount", "ledger");
        assertTrue(sa.ok() || sa.err().contains("AlreadyExists"), sa.toString());
        // eve's group may create pods here, which plain RBAC would let run as any ServiceAccount of the namespace
        var rbac = k8s.kubectlIn("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: pod-creator, namespace: e2e-sau}
                rules:
                  - {apiGroups: [""], resources: [pods], verbs: [create, get, delete]}
                  - {apiGroups: [apps], resources: [deployments], verbs: [create, get, delete]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: devs-create-pods, namespace: e2e-sau}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-creator}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: e2e-sau-devs}]
                """, "apply", "-f", "-");
        assertTrue(rbac.ok(), rbac.toString());
        var guardrails = k8s.kubectlIn(GUARDRAILS, "apply", "-f", "-");
        assertTrue(guardrails.ok(), guardrails.toString());
    }

    @AfterAll
    static void cleanUp() {
        k8s.kubectl("-n", "idgate-system", "delete", "configmap", "e2e-service-account-use", "--ignore-not-found");
        k8s.kubectl("-n", NS, "delete", "rolebinding", "eve-uses-ledger", "frank-uses-ledger", "--ignore-not-found");
    }

    @Test
    void aUserWithoutUseCannotRunAPodAsTheServiceAccountUntilARoleBindingGrantsIt() {
        String refusal = "[serviceAccountUse] spec.serviceAccountName: \"eve\" (groups e2e-sau-devs, system:authenticated) may not use"
                + " ServiceAccount e2e-sau/ledger";
        // until the ConfigMap is in force a pod may get in: remove it and try again
        E2eCluster.await("the ServiceAccount-use check refuses eve", () -> {
            k8s.kubectl("-n", NS, "delete", "pod", "ledger-1", "--ignore-not-found", "--wait=false");
            var created = k8s.kubectlIn(POD.formatted("1"), with(AS_EVE, "create", "-f", "-"));
            return !created.ok() && created.err().contains(refusal);
        });
        var refused = k8s.kubectlIn(POD.formatted("1"), with(AS_EVE, "create", "-f", "-"));
        E2eCluster.log("kubectl printed:%n%s", refused.err());
        assertTrue(refused.err().contains("workloads.validate.idgate.io"), refused.toString());
        assertTrue(refused.err().contains("- {apiGroups: [\"\"], resources: [serviceaccounts], resourceNames: [ledger], verbs: [use]}"),
                refused.toString());
        assertFalse(k8s.kubectl("-n", NS, "get", "pod", "ledger-1").ok(), "nothing stored");

        // the rule from the refusal, bound to eve
        var grant = k8s.kubectlIn(useLedger(NS, "eve-uses-ledger", "User", "eve"), "apply", "-f", "-");
        assertTrue(grant.ok(), grant.toString());
        // the refusal is cached for up to 10 s per requester and ServiceAccount
        long millis = E2eCluster.await("eve may create the pod once granted use", () -> k8s.kubectlIn(POD.formatted("2"),
                with(AS_EVE, "create", "-f", "-")).ok());
        E2eCluster.log("granted use took effect after %d ms", millis);
        assertTrue(k8s.kubectl("-n", NS, "get", "pod", "ledger-2").ok(), "stored");

        String metrics = k8s.metrics();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("idgate_service_account_use_checks_total{") && l.contains("result=\"refused\"")),
                "refusals counted");
        assertTrue(metrics.contains("idgate_service_account_use_review_duration_seconds_count{outcome=\"answered\""), "reviews timed");
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ledger-%s, namespace: e2e-sau}
            spec:
              selector: {matchLabels: {app: ledger}}
              template:
                metadata: {labels: {app: ledger}}
                spec:
                  serviceAccountName: ledger
                  containers: [{name: app, image: registry.example.com/ledger:1}]
            """;

    /**
     * {@code idgate check --as frank --as-group e2e-sau-devs} asks this API server, through idgate's own
     * kubeconfig, the question the webhook asks when frank applies the Deployment, and words the refusal
     * exactly as the webhook's answer to {@code kubectl create --as frank}; after a RoleBinding it passes.
     */
    @Test
    void checkAsAUserAsksTheApiServerAndSaysWhatTheWebhookSays() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(E2eCluster.DIR, "check-as");
        java.nio.file.Path file = dir.resolve("ledger.yaml");
        java.nio.file.Files.writeString(file, GUARDRAILS + "---\n" + DEPLOYMENT.formatted("cli")
                + "---\n{apiVersion: v1, kind: ServiceAccount, metadata: {name: ledger, namespace: e2e-sau}}\n");
        String[] check = {"check", "-f", file.toString(), "--as", "frank", "--as-group", "e2e-sau-devs"};

        var refused = k8s.idgateCli(check);
        E2eCluster.log("idgate check --as printed:%n%s%s", refused.out(), refused.err());
        assertEquals(1, refused.exit(), refused.toString());
        String line = "[serviceAccountUse] spec.template.spec.serviceAccountName: \"frank\" (groups e2e-sau-devs, system:authenticated) may not"
                + " use ServiceAccount e2e-sau/ledger; grant it with a Role in namespace e2e-sau bound to them, with the rule"
                + " - {apiGroups: [\"\"], resources: [serviceaccounts], resourceNames: [ledger], verbs: [use]}";
        assertTrue(refused.out().contains("denied   Deployment e2e-sau/ledger-cli"), refused.out());
        assertTrue(refused.out().contains("  " + line + "\n"), refused.out());

        // the webhook says the same to frank's kubectl
        E2eCluster.await("the webhook refuses frank's Deployment", () -> {
            k8s.kubectl("-n", NS, "delete", "deployment", "ledger-1", "--ignore-not-found", "--wait=false");
            var created = k8s.kubectlIn(DEPLOYMENT.formatted("1"), "--as=frank", "--as-group=e2e-sau-devs", "create", "-f", "-");
            return !created.ok() && created.err().contains(line);
        });

        var grant = k8s.kubectlIn(useLedger(NS, "frank-uses-ledger", "User", "frank"), "apply", "-f", "-");
        assertTrue(grant.ok(), grant.toString());
        // the CLI caches nothing between runs: the next run sees the grant (RBAC itself may take a moment)
        E2eCluster.await("check --as passes once frank may use ledger", () -> k8s.idgateCli(check).ok());
        var allowed = k8s.idgateCli(check);
        assertTrue(allowed.out().contains("ok       Deployment e2e-sau/ledger-cli"), allowed.out());
        assertTrue(allowed.err().contains("Deployment e2e-sau/ledger-cli runs as ServiceAccount e2e-sau/ledger: \"frank\" (groups e2e-sau-devs,"
                + " system:authenticated) may use it (asked the API server)"), allowed.err());
    }

    private static String[] with(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
