package io.idgate.identity;

/**
 * Who a workload is: the ServiceAccount and the cloud identities bound to it, and the claims of a
 * verified identity token bound to it. Cloud fields and {@code verified} are null when not bound.
 * This is what guardrail groups match on and what the labels are derived from.
 */
public record WorkloadIdentity(
        String namespace,
        String serviceAccount,
        String spiffeId,
        String awsRoleArn,
        String gcpServiceAccount,
        String azureClientId,
        VerifiedClaims verified) {

    /** An identity without a verified token. */
    public WorkloadIdentity(String namespace, String serviceAccount, String spiffeId, String awsRoleArn, String gcpServiceAccount,
            String azureClientId) {
        this(namespace, serviceAccount, spiffeId, awsRoleArn, gcpServiceAccount, azureClientId, null);
    }

    /** This identity with the claims of its verified token. */
    public WorkloadIdentity withVerified(VerifiedClaims claims) {
        return new WorkloadIdentity(namespace, serviceAccount, spiffeId, awsRoleArn, gcpServiceAccount, azureClientId, claims);
    }

    /** The identity of ServiceAccount {@code sa} in trust domain {@code trustDomain}. */
    public static WorkloadIdentity of(ServiceAccountInfo sa, String trustDomain) {
        return new WorkloadIdentity(
                sa.namespace(),
                sa.name(),
                spiffeId(trustDomain, sa.namespace(), sa.name()),
                sa.annotation(ServiceAccountInfo.AWS_ROLE_ARN),
                sa.annotation(ServiceAccountInfo.GCP_SERVICE_ACCOUNT),
                sa.annotation(ServiceAccountInfo.AZURE_CLIENT_ID));
    }

    /** A ServiceAccount SPIFFE ID; groups 1-3: trust domain, namespace, name. */
    public static final java.util.regex.Pattern SPIFFE_ID = java.util.regex.Pattern.compile("spiffe://([^/]+)/ns/([^/]+)/sa/([^/]+)");

    /** {@code spiffe://<trust-domain>/ns/<namespace>/sa/<name>}, the Istio/SPIRE convention. */
    public static String spiffeId(String trustDomain, String namespace, String serviceAccount) {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    /** {@code system:serviceaccount:<namespace>:<name>}, the subject of the cluster's SA tokens. */
    public String oidcSubject() {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }
}
