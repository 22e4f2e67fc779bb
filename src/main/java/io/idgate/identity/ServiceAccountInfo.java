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

    /** The non-blank value of annotation {@code key}, else null. */
    public String annotation(String key) {
        String value = annotations.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
