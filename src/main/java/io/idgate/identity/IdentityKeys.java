package io.idgate.identity;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The label and annotation keys idgate owns under a prefix {@code P} (default {@code idgate.io}).
 *
 * <p>Every key whose prefix part (before the {@code /}) is {@code P} or ends in {@code .P} belongs to
 * idgate, whatever it is called: {@code P/anything} and {@code groups.P/anything}, but also a made-up
 * {@code team.P/x}. The comparison ignores letter case, so {@code IDGATE.IO/x} is owned too (the API
 * server rejects upper-case prefixes, but the check must not depend on that).
 */
public final class IdentityKeys {

    private final String prefix;
    private final String groupsPrefix;

    public IdentityKeys(String prefix) {
        if (prefix == null || prefix.isBlank() || prefix.contains("/")) {
            throw new IllegalArgumentException("label prefix must be a DNS subdomain such as idgate.io, got '" + prefix + "'");
        }
        this.prefix = prefix.toLowerCase(Locale.ROOT);
        this.groupsPrefix = "groups." + this.prefix;
    }

    public String prefix() {
        return prefix;
    }

    public String namespace() {
        return key("namespace");
    }

    public String serviceAccount() {
        return key("service-account");
    }

    public String spiffeId() {
        return key("spiffe-id");
    }

    public String awsRoleArn() {
        return key("aws-role-arn");
    }

    public String gcpServiceAccount() {
        return key("gcp-service-account");
    }

    public String azureClientId() {
        return key("azure-client-id");
    }

    public String oidcIssuer() {
        return key("oidc-issuer");
    }

    public String oidcSubject() {
        return key("oidc-subject");
    }

    public String groups() {
        return key("groups");
    }

    /** {@code P/verified-by}: the trusted issuer whose token vouched for the pod's groups. */
    public String verifiedBy() {
        return key("verified-by");
    }

    /** {@code P/identity-token}: the ServiceAccount annotation holding an identity token. */
    public String identityToken() {
        return key("identity-token");
    }

    public String derivedFrom() {
        return key("derived-from");
    }

    /** {@code groups.P/<group>}: the label that marks membership of a guardrail group. */
    public String group(String group) {
        return groupsPrefix + "/" + group;
    }

    /** {@code P/<name>}. */
    public String key(String name) {
        return prefix + "/" + name;
    }

    /** True when {@code key} is under {@code P/} or {@code *.P/}. */
    public boolean isOwned(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String keyPrefix = key.substring(0, slash).toLowerCase(Locale.ROOT);
        return keyPrefix.equals(prefix) || keyPrefix.endsWith("." + prefix);
    }

    /** The owned entries of {@code map} (null-safe), sorted by key. */
    public TreeMap<String, String> owned(Map<String, String> map) {
        TreeMap<String, String> owned = new TreeMap<>();
        if (map != null) {
            map.forEach((k, v) -> {
                if (isOwned(k)) {
                    owned.put(k, v);
                }
            });
        }
        return owned;
    }
}
