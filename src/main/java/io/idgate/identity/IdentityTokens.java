package io.idgate.identity;

import java.util.List;

/**
 * Checks the identity token a ServiceAccount carries (annotation {@code P/identity-token}). The webhook
 * plugs in the OIDC verifier; without one, tokens are not looked at.
 */
@FunctionalInterface
public interface IdentityTokens {

    /** Tokens are not checked: no claims, no warnings. */
    IdentityTokens NONE = (sa, identity) -> TokenCheck.ABSENT;

    /** What the token of {@code sa} (whose identity is {@code identity}) vouches for. */
    TokenCheck check(ServiceAccountInfo sa, WorkloadIdentity identity);

    /**
     * @param claims   the verified, allow-listed claims; null when there is no valid token
     * @param result   the {@code result} tag of {@code idgate_identity_tokens_total}; null when there is no token
     * @param warnings what the requester should know (why a token was ignored, values outside the allow-list)
     */
    record TokenCheck(VerifiedClaims claims, String result, List<String> warnings) {
        public static final TokenCheck ABSENT = new TokenCheck(null, null, List.of());

        public TokenCheck {
            warnings = List.copyOf(warnings);
        }
    }
}
