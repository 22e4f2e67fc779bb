package io.idgate.bench;

import io.idgate.engine.PodMutationPreview;
import io.idgate.engine.NetworkPolicyJudge;
import io.idgate.admission.AdmissionResponse;
import io.idgate.admission.AdmissionReviewDecoder;
import io.idgate.admission.AdmissionReviewEncoder;
import io.idgate.admission.AdmissionRequest;
import io.idgate.admission.NetworkPolicyHandler;
import io.idgate.engine.PodIdentityResolver;
import io.idgate.admission.PodMutationHandler;
import io.idgate.config.IdgateConfig.OnMissing;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.ManifestServiceAccountLookup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Generated clusters of a given size, for the scale curves: the same YAML feeds the in-process JMH
 * benchmarks (through the production readers and handlers) and the standalone server whose RSS is
 * measured, so both measure the same thing.
 *
 * <p>Every generated rule applies to the benchmark's NetworkPolicy (the worst case: nothing is skipped
 * by namespace) and the policy complies with all of them, so time grows with the rules evaluated, not
 * with the size of a denial message.
 */
public final class ScaleFixtures {

    /** Namespace of the reviewed NetworkPolicy and of its existing policies. */
    public static final String NAMESPACE = "pci-cards";
    private static final IdentityConfig IDENTITY = new IdentityConfig("idgate.io", "cluster.local", "https://kubernetes.default.svc.cluster.local");

    private ScaleFixtures() {}

    /** {@code count} ServiceAccounts spread over 100 namespaces ({@code ns-0 … ns-99}), one in three with an AWS role. */
    public static String serviceAccounts(int count) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < count; i++) {
            yaml.append("---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-").append(i)
                    .append("\n  namespace: ns-").append(i % 100).append('\n');
            if (i % 3 == 0) {
                yaml.append("  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/role-").append(i).append('\n');
            }
        }
        return yaml.toString();
    }

    /** The guardrail documents of {@code count} rules over {@code count / 10 + 1} groups. */
    public static String guardrailDocument(int count) {
        StringBuilder yaml = new StringBuilder("groups:\n");
        int groups = count / 10 + 1;
        for (int g = 0; g < groups; g++) {
            yaml.append("  g").append(g).append(":\n    members:\n      - serviceAccount: ns-").append(g % 100).append("/*\n")
                    .append("      - awsRoleArn: arn:aws:iam::123456789012:role/role-").append(g).append("*\n");
        }
        yaml.append("rules:\n");
        for (int i = 0; i < count; i++) {
            yaml.append("  - name: rule-").append(i).append("\n    action: ").append(i % 2 == 0 ? "deny" : "warn")
                    .append("\n    match:\n      namespaces: [\"pci-*\"]\n      podSelector: {matchLabels: {tier: pci}}\n    require:\n")
                    .append("      identityPeers: true\n      ingressFrom: [\"group:g").append(i % groups).append("\", \"serviceAccount:frontend/web\"]\n")
                    .append("      noAllowAll: true\n      ports: true\n      immutableNamespaceSelectors: true\n");
        }
        return yaml.toString();
    }

    /** One guardrail rule, {@code defaultDeny}, for the default-deny curve. */
    public static String defaultDenyDocument() {
        return "rules:\n  - name: keep-default-deny\n    match:\n      namespaces: [\"pci-*\"]\n    require:\n      defaultDeny: true\n";
    }

    /** The guardrail ConfigMap holding {@code document}, as a manifest. */
    public static String guardrailConfigMap(String document) {
        StringBuilder yaml = new StringBuilder("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-guardrails\n"
                + "  namespace: idgate-system\n  labels:\n    idgate.io/guardrails: \"true\"\ndata:\n  bench.yaml: |\n");
        document.lines().forEach(line -> yaml.append("    ").append(line).append('\n'));
        return yaml.toString();
    }

    /** {@code count} NetworkPolicies in {@link #NAMESPACE}; the last one is its default-deny (worst case for the search). */
    public static String networkPolicies(int count) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < count - 1; i++) {
            yaml.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-").append(i)
                    .append("\n  namespace: ").append(NAMESPACE).append("\nspec:\n  podSelector: {matchLabels: {app: app-").append(i)
                    .append("}}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector: {matchLabels: {idgate.io/service-account: web}}\n")
                    .append("      ports: [{protocol: TCP, port: 8443}]\n");
        }
        yaml.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: ").append(NAMESPACE)
                .append("\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n");
        return yaml.toString();
    }

    /** A CREATE review of a NetworkPolicy in {@link #NAMESPACE} that complies with every generated rule. */
    public static byte[] networkPolicyReview() {
        return ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
                + "\"uid\":\"00000000-0000-0000-0000-000000000001\","
                + "\"kind\":{\"group\":\"networking.k8s.io\",\"version\":\"v1\",\"kind\":\"NetworkPolicy\"},"
                + "\"resource\":{\"group\":\"networking.k8s.io\",\"version\":\"v1\",\"resource\":\"networkpolicies\"},"
                + "\"namespace\":\"" + NAMESPACE + "\",\"name\":\"cards-api\",\"operation\":\"CREATE\",\"userInfo\":{\"username\":\"alice\"},"
                + "\"object\":{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\","
                + "\"metadata\":{\"name\":\"cards-api\",\"namespace\":\"" + NAMESPACE + "\"},"
                + "\"spec\":{\"podSelector\":{\"matchLabels\":{\"tier\":\"pci\"}},\"policyTypes\":[\"Ingress\"],"
                + "\"ingress\":[{\"from\":[{\"podSelector\":{\"matchLabels\":{\"idgate.io/namespace\":\"frontend\",\"idgate.io/service-account\":\"web\"}},"
                + "\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"frontend\"}}}],"
                + "\"ports\":[{\"protocol\":\"TCP\",\"port\":8443}]}]}},\"oldObject\":null,\"dryRun\":false}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A CREATE review of a pod in {@code ns-<sa % 100>} running as {@code sa-<sa>} with {@code labels} labels of its own. */
    public static byte[] podReview(int sa, int labels) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            l.append(i == 0 ? "" : ",").append("\"app.example.com/label-").append(i).append("\":\"value-").append(i).append('"');
        }
        String ns = "ns-" + (sa % 100);
        return ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
                + "\"uid\":\"00000000-0000-0000-0000-000000000002\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},\"namespace\":\"" + ns + "\",\"operation\":\"CREATE\","
                + "\"userInfo\":{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\"},"
                + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"web-7d4b9c-\",\"namespace\":\"" + ns + "\","
                + "\"labels\":{" + l + "}},\"spec\":{\"serviceAccountName\":\"sa-" + sa + "\","
                + "\"containers\":[{\"name\":\"web\",\"image\":\"registry.example.com/web:1.0\"}]}},\"oldObject\":null,\"dryRun\":false}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<Manifest> manifests(String yaml) {
        return ManifestReader.read("generated", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The production guardrail pipeline (parse, merge, swap) fed with {@code document}. */
    public static GuardrailConfigMaps guardrails(String document) {
        GuardrailConfigMaps maps = new GuardrailConfigMaps();
        var outcome = maps.apply(new GuardrailConfigMaps.ConfigMapData("idgate-system", "bench-guardrails", "1", Map.of("bench.yaml", document)));
        if (!outcome.valid()) {
            throw new IllegalStateException("generated guardrails do not parse: " + outcome.errors());
        }
        return maps;
    }

    public static NetworkPolicyHandler networkPolicyHandler(GuardrailConfigMaps guardrails, int policies) {
        return new NetworkPolicyHandler(new NetworkPolicyJudge(guardrails::snapshot, new ManifestNetworkPolicySource(manifests(networkPolicies(policies))), IDENTITY), v -> { });
    }

    public static ManifestServiceAccountLookup serviceAccountLookup(int count) {
        return new ManifestServiceAccountLookup(manifests(serviceAccounts(count)));
    }

    public static PodMutationHandler podMutationHandler(ManifestServiceAccountLookup lookup, GuardrailConfigMaps guardrails) {
        return new PodMutationHandler(new PodMutationPreview(new PodIdentityResolver(lookup, new IdentityDeriver(IDENTITY), OnMissing.DENY, guardrails::snapshot, s -> { })));
    }

    /** One review as the server does it, minus HTTP: decode, decide, encode. */
    public static byte[] review(io.idgate.admission.AdmissionHandler handler, byte[] body) {
        AdmissionRequest request = AdmissionReviewDecoder.decode(body, handler.objectFields()); // as the server reads it
        AdmissionResponse response = handler.handle(request).toCompletableFuture().join();
        return AdmissionReviewEncoder.encode(request.uid(), response);
    }

    /** Writes a standalone manifests directory of the given size (for the server RSS runs). */
    public static void writeCluster(Path dir, int serviceAccounts, int rules, int policies) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("serviceaccounts.yaml"), serviceAccounts(serviceAccounts));
            Files.writeString(dir.resolve("guardrails.yaml"), guardrailConfigMap(guardrailDocument(rules)));
            Files.writeString(dir.resolve("networkpolicies.yaml"), networkPolicies(policies));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
