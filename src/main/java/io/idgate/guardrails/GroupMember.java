package io.idgate.guardrails;

import io.idgate.identity.WorkloadIdentity;
import java.util.Locale;
import java.util.Optional;

/**
 * One entry of {@code groups.<name>.members}: exactly one identity attribute and a glob for it.
 *
 * @param kind    which attribute
 * @param pattern the glob; for {@link Kind#SERVICE_ACCOUNT} {@code <namespace-glob>/<name-glob>}; for
 *                {@link Kind#CLAIM} the glob of the claim value
 * @param claim   for {@link Kind#CLAIM}: the issuer and claim the value belongs to; else null
 */
public record GroupMember(Kind kind, String pattern, ClaimRef claim) {

    /** A claim of a trusted issuer: {@code claim: {issuer: corp, groups: payments}}. */
    public record ClaimRef(String issuer, String name) {}

    public GroupMember(Kind kind, String pattern) {
        this(kind, pattern, null);
    }

    /** The member kinds and their ConfigMap field names. */
    public enum Kind {
        SERVICE_ACCOUNT("serviceAccount"),
        NAMESPACE("namespace"),
        AWS_ROLE_ARN("awsRoleArn"),
        GCP_SERVICE_ACCOUNT("gcpServiceAccount"),
        AZURE_CLIENT_ID("azureClientId"),
        /** A claim of a verified identity token: {@code claim: {issuer: <name>, <claim>: <value glob>}}. */
        CLAIM("claim");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }

        public static Optional<Kind> fromField(String field) {
            for (Kind k : values()) {
                if (k.field.equals(field)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * True when {@code identity} has this attribute and it matches the glob. Azure client IDs are GUIDs,
     * compared ignoring case; everything else is case-sensitive. A cloud attribute the identity lacks
     * never matches, not even {@code *}.
     */
    public boolean matches(WorkloadIdentity identity) {
        return switch (kind) {
            case SERVICE_ACCOUNT -> {
                int slash = pattern.indexOf('/');
                yield Globs.matches(pattern, 0, slash, identity.namespace())
                        && Globs.matches(pattern, slash + 1, pattern.length(), identity.serviceAccount());
            }
            case NAMESPACE -> Globs.matches(pattern, identity.namespace());
            case AWS_ROLE_ARN -> Globs.matches(pattern, identity.awsRoleArn());
            case GCP_SERVICE_ACCOUNT -> Globs.matches(pattern, identity.gcpServiceAccount());
            case AZURE_CLIENT_ID -> identity.azureClientId() != null
                    && Globs.matches(pattern.toLowerCase(Locale.ROOT), identity.azureClientId().toLowerCase(Locale.ROOT));
            case CLAIM -> identity.verified() != null && identity.verified().issuer().equals(claim.issuer())
                    && identity.verified().values(claim.name()).stream().anyMatch(v -> Globs.matches(pattern, v));
        };
    }
}
