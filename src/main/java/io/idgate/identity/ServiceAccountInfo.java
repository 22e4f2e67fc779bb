package io.idgate.identity;

import java.util.Map;

/**
 * What idgate reads of a ServiceAccount: its name, namespace, annotations and resourceVersion.
 *
 * @param resourceVersion may be null (ServiceAccounts read from manifest files have none)
 */
public record ServiceAccountInfo(String namespace, String name, Map<String, String> annotations, String resourceVersion) {

    /** Annotation read by the EKS pod identity webhook. */
    public static final String AWS_ROLE_ARN = "eks.amazonaws.com/role-arn";
    /** Annotation read by GKE Workload Identity. */
    public static final String GCP_SERVICE_ACCOUNT = "iam.gke.io/gcp-service-account";
    /** Annotation read by Azure Workload Identity. */
    public static final String AZURE_CLIENT_ID = "azure.workload.identity/client-id";

    public ServiceAccountInfo {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /**
     * A ServiceAccount described by hand (CLI, query API): its cloud identities given as values, blank
     * or null ones left out.
     */
    public static ServiceAccountInfo of(String namespace, String name, String awsRoleArn, String gcpServiceAccount, String azureClientId) {
        Map<String, String> annotations = new java.util.HashMap<>();
        java.util.function.BiConsumer<String, String> put = (k, v) -> {
            if (v != null && !v.isBlank()) {
                annotations.put(k, v);
            }
        };
        put.accept(AWS_ROLE_ARN, awsRoleArn);
        put.accept(GCP_SERVICE_ACCOUNT, gcpServiceAccount);
        put.accept(AZURE_CLIENT_ID, azureClientId);
        return new ServiceAccountInfo(namespace, name, annotations, null);
    }

    /** The non-blank value of annotation {@code key}, else null. */
    public String annotation(String key) {
        String value = annotations.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
