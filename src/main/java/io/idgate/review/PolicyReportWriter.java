package io.idgate.review;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.idgate.engine.Finding;
import io.idgate.render.PolicyReports;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code idgate.audit.policy-reports}: writes the scheduled audit's findings to the cluster as
 * {@code wgpolicyk8s.io/v1alpha2} reports ({@link PolicyReports}): one PolicyReport {@code idgate} per
 * namespace with findings, one ClusterPolicyReport {@code idgate}, each created or replaced whole (a run
 * is the complete picture, nothing is merged), and the idgate reports of namespaces that have no
 * finding any more deleted. Needs the CRDs (Kyverno or Policy Reporter install them) and the RBAC of
 * k8s/components/policy-reports.
 */
public final class PolicyReportWriter {

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    static final ResourceDefinitionContext POLICY_REPORT = context("PolicyReport", "policyreports", true);
    static final ResourceDefinitionContext CLUSTER_POLICY_REPORT = context("ClusterPolicyReport", "clusterpolicyreports", false);

    private final KubernetesClient client;

    public PolicyReportWriter(KubernetesClient client) {
        this.client = client;
    }

    private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        // explicit plural and scope: no discovery round trip, and no guess at the plural of a kind
        return new ResourceDefinitionContext.Builder().withGroup("wgpolicyk8s.io").withVersion("v1alpha2").withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    /** Writes the reports of {@code findings}; returns how many were written. */
    public int write(List<Finding> findings, Instant at) {
        Set<String> written = new HashSet<>();
        int count = 0;
        for (var doc : PolicyReports.reports(findings, at)) {
            var report = client.getKubernetesSerialization().convertValue(doc, GenericKubernetesResource.class);
            if ("ClusterPolicyReport".equals(report.getKind())) {
                client.genericKubernetesResources(CLUSTER_POLICY_REPORT).resource(report).createOr(NonDeletingOperation::update);
            } else {
                String ns = report.getMetadata().getNamespace();
                client.genericKubernetesResources(POLICY_REPORT).inNamespace(ns).resource(report).createOr(NonDeletingOperation::update);
                written.add(ns);
            }
            count++;
        }
        // a namespace whose pods and policies are gone keeps no stale report of ours
        for (var old : client.genericKubernetesResources(POLICY_REPORT).inAnyNamespace().withLabel(MANAGED_BY, "idgate").list().getItems()) {
            if (PolicyReports.NAME.equals(old.getMetadata().getName()) && !written.contains(old.getMetadata().getNamespace())) {
                client.genericKubernetesResources(POLICY_REPORT).inNamespace(old.getMetadata().getNamespace())
                        .withName(PolicyReports.NAME).delete();
            }
        }
        return count;
    }
}
