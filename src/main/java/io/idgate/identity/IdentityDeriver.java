package io.idgate.identity;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Derives the identity labels and annotations of a pod from its ServiceAccount.
 *
 * <p>A label is the selectable form of the annotation with the same key: the annotation carries the
 * full value, the label its {@link LabelValues#encode encoded} form. Only the ServiceAccount counts:
 * nothing the pod says about itself is trusted. Pure and deterministic.
 */
public final class IdentityDeriver {

    /** Entries per generation of {@link #derived}: the keys of the 512 most recently seen identities at most (a few KB each: the memory stays under 2 MiB). */
    static final int DERIVED_GENERATION = 256;

    private final IdentityConfig config;
    private final IdentityKeys keys;

    /**
     * The keys of recently seen identities, by all that decides them. Every pod of a ServiceAccount
     * gets the same keys, and hashing and encoding them was the largest part of deciding a pod (profile
     * in docs/benchmarks.md, "Where a review's CPU goes").
     */
    private final RecentMemo<Derivation, DerivedIdentity> derived = new RecentMemo<>(DERIVED_GENERATION);

    /** What {@link #derive(WorkloadIdentity, Set, String)} depends on (the rest is this deriver's configuration). */
    private record Derivation(WorkloadIdentity identity, Set<String> groups, String derivedFrom) {}

    public IdentityDeriver(IdentityConfig config) {
        this.config = config;
        this.keys = config.keys();
    }

    public IdentityConfig config() {
        return config;
    }

    public IdentityKeys keys() {
        return keys;
    }

    /** The identity of ServiceAccount {@code sa}. */
    public WorkloadIdentity identityOf(ServiceAccountInfo sa) {
        return WorkloadIdentity.of(sa, config.trustDomain());
    }

    /**
     * The keys for a pod running as {@code sa}, member of {@code groups} (names valid as label-key
     * name parts; guardrail parsing guarantees that).
     */
    public DerivedIdentity derive(ServiceAccountInfo sa, Set<String> groups) {
        return derive(identityOf(sa), groups, derivedFrom(sa));
    }

    /** {@code serviceaccount/<ns>/<name>@<resourceVersion>}: the source, for people reading the pod. */
    public static String derivedFrom(ServiceAccountInfo sa) {
        return "serviceaccount/" + sa.namespace() + "/" + sa.name()
                + (sa.resourceVersion() == null || sa.resourceVersion().isBlank() ? "" : "@" + sa.resourceVersion());
    }

    /**
     * The keys for {@code identity}. {@code derivedFrom} (may be null) names the source object, for
     * people reading the pod.
     */
    public DerivedIdentity derive(WorkloadIdentity identity, Set<String> groups, String derivedFrom) {
        return derived.get(new Derivation(identity, Set.copyOf(groups), derivedFrom), d -> compute(d.identity(), d.groups(), d.derivedFrom()));
    }

    private DerivedIdentity compute(WorkloadIdentity identity, Set<String> groups, String derivedFrom) {
        TreeMap<String, String> labels = new TreeMap<>();
        TreeMap<String, String> annotations = new TreeMap<>();
        selectable(labels, annotations, keys.namespace(), identity.namespace());
        selectable(labels, annotations, keys.serviceAccount(), identity.serviceAccount());
        selectable(labels, annotations, keys.spiffeId(), identity.spiffeId());
        selectable(labels, annotations, keys.awsRoleArn(), identity.awsRoleArn());
        selectable(labels, annotations, keys.gcpServiceAccount(), identity.gcpServiceAccount());
        selectable(labels, annotations, keys.azureClientId(), identity.azureClientId());
        selectable(labels, annotations, keys.verifiedBy(), identity.verified() == null ? null : identity.verified().issuer());
        annotations.put(keys.oidcIssuer(), config.oidcIssuer());
        annotations.put(keys.oidcSubject(), identity.oidcSubject());
        SortedSet<String> sortedGroups = new TreeSet<>(groups);
        for (String group : sortedGroups) {
            labels.put(keys.group(group), "true");
        }
        if (!sortedGroups.isEmpty()) {
            annotations.put(keys.groups(), String.join(",", sortedGroups));
        }
        if (derivedFrom != null) {
            annotations.put(keys.derivedFrom(), derivedFrom);
        }
        return new DerivedIdentity(labels, annotations);
    }

    private static void selectable(TreeMap<String, String> labels, TreeMap<String, String> annotations, String key, String value) {
        if (value != null) {
            annotations.put(key, value);
            labels.put(key, LabelValues.encode(value));
        }
    }
}
