package io.idgate.guardrails;

import io.idgate.netpol.Selectors;
import io.idgate.netpol.IdentityPeer;
import io.idgate.netpol.LabelSelector;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityKeys;
import io.idgate.identity.LabelValues;
import io.idgate.identity.WorkloadIdentity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a NetworkPolicy peer is <em>pinned</em> to a list of identities: every pod it can
 * select provably has one of them. Only identity labels count (the webhook guarantees their values);
 * the namespace counts through {@code kubernetes.io/metadata.name} (set by the API server) or, for a
 * peer without namespaceSelector, the policy's own namespace.
 *
 * <p>A peer is pinned when any of these holds for its podSelector (absent = every pod):
 * <ol>
 *   <li>it requires {@code groups.P/<g>: "true"} for a listed {@code group:<g>};</li>
 *   <li>it requires {@code P/spiffe-id} to be one of the encoded listed SPIFFE IDs (a literal
 *       {@code serviceAccount:<ns>/<sa>} counts as its SPIFFE ID in the configured trust domain);</li>
 *   <li>its namespaces are a finite set (from the namespaceSelector, the policy's namespace, or a
 *       required {@code P/namespace}) each matching a {@code namespace:} reference (or a
 *       {@code serviceAccount:<ns>/*} one);</li>
 *   <li>its namespaces and its required {@code P/service-account} values are finite sets and every pair
 *       matches a {@code serviceAccount:} reference (a SPIFFE ID of the form
 *       {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>} counts as that ServiceAccount).</li>
 * </ol>
 * A ServiceAccount glob is compared with the label value, so it never matches a hashed
 * ({@code sha256-…}) value of an over-long name, unless it is {@code *}.
 */
final class IdentityPinning {

    /** The namespace label the API server sets and namespace owners cannot change. */
    static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    private static final Pattern SPIFFE_SA = Pattern.compile("spiffe://([^/]+)/ns/([^/]+)/sa/([^/]+)");

    private record SaPattern(String namespaceGlob, String nameGlob) {}

    private final List<IdentityRef> refs;
    private final IdentityKeys keys;
    private final Set<String> groups = new HashSet<>();
    private final Set<String> spiffeValues = new HashSet<>();
    private final List<SaPattern> patterns = new ArrayList<>();

    IdentityPinning(List<IdentityRef> refs, IdentityConfig config) {
        this.refs = List.copyOf(refs);
        this.keys = config.keys();
        for (IdentityRef ref : refs) {
            if (ref instanceof IdentityRef.GroupRef g) {
                groups.add(g.group());
            } else if (ref instanceof IdentityRef.NamespaceRef n) {
                patterns.add(new SaPattern(n.namespaceGlob(), "*"));
            } else if (ref instanceof IdentityRef.ServiceAccountRef s) {
                patterns.add(new SaPattern(s.namespaceGlob(), s.nameGlob()));
                if (Globs.isLiteral(s.namespaceGlob()) && Globs.isLiteral(s.nameGlob())) {
                    spiffeValues.add(LabelValues.encode(
                            WorkloadIdentity.spiffeId(config.trustDomain(), s.namespaceGlob(), s.nameGlob())));
                }
            } else if (ref instanceof IdentityRef.SpiffeRef s) {
                spiffeValues.add(LabelValues.encode(s.id()));
                Matcher m = SPIFFE_SA.matcher(s.id());
                if (m.matches() && m.group(1).equals(config.trustDomain())) {
                    patterns.add(new SaPattern(m.group(2), m.group(3)));
                }
            }
        }
    }

    /** The references as written, comma-separated, for messages. */
    String refsText() {
        return refs.isEmpty() ? "no identity at all" : String.join(", ", refs.stream().map(IdentityRef::text).toList());
    }

    /**
     * True when every pod selected by a peer with {@code podSelector} / {@code namespaceSelector} (either
     * may be null = absent, not both) in a policy of {@code policyNamespace} has a listed identity.
     */
    boolean pinned(LabelSelector podSelector, LabelSelector namespaceSelector, String policyNamespace) {
        if (podSelector == null && namespaceSelector == null) {
            return false;
        }
        LabelSelector pods = podSelector == null ? LabelSelector.ALL : podSelector;
        if (!Selectors.isSatisfiable(pods) || (namespaceSelector != null && !Selectors.isSatisfiable(namespaceSelector))) {
            return true; // selects nothing
        }
        for (String g : groups) {
            if (Selectors.requires(pods, keys.group(g), "true")) {
                return true;
            }
        }
        Optional<Set<String>> spiffe = Selectors.requiredValues(pods, keys.spiffeId());
        if (spiffe.isPresent() && spiffeValues.containsAll(spiffe.get())) {
            return true;
        }
        Optional<Set<String>> namespaces = namespaces(pods, namespaceSelector, policyNamespace);
        if (namespaces.isEmpty()) {
            return false;
        }
        if (namespaces.get().stream().allMatch(ns -> patterns.stream()
                .anyMatch(p -> p.nameGlob().equals("*") && Globs.matches(p.namespaceGlob(), ns)))) {
            return true;
        }
        Optional<Set<String>> accounts = Selectors.requiredValues(pods, keys.serviceAccount());
        if (accounts.isEmpty()) {
            return false;
        }
        for (String ns : namespaces.get()) {
            for (String sa : accounts.get()) {
                if (patterns.stream().noneMatch(p -> Globs.matches(p.namespaceGlob(), ns) && nameMatches(p.nameGlob(), sa))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean nameMatches(String glob, String labelValue) {
        if (glob.equals("*")) {
            return true;
        }
        if (Globs.isLiteral(glob)) {
            return LabelValues.encode(glob).equals(labelValue);
        }
        return !labelValue.startsWith(LabelValues.HASH_PREFIX) && Globs.matches(glob, labelValue);
    }

    /** The finite set of namespaces the peer is confined to, or empty when it is not confined. */
    private Optional<Set<String>> namespaces(LabelSelector pods, LabelSelector namespaceSelector, String policyNamespace) {
        Optional<Set<String>> bySelector = namespaceSelector == null
                ? Optional.of(Set.of(policyNamespace))
                : Selectors.requiredValues(namespaceSelector, NAMESPACE_NAME);
        Optional<Set<String>> byLabel = Selectors.requiredValues(pods, keys.namespace());
        if (bySelector.isPresent() && byLabel.isPresent()) {
            Set<String> both = new TreeSet<>(bySelector.get());
            both.retainAll(byLabel.get());
            return Optional.of(both);
        }
        return bySelector.isPresent() ? bySelector : byLabel;
    }

    /**
     * What to write instead: one peer per reference, in the shape {@code idgate labels} prints
     * ({@link IdentityPeer}), e.g. {@code peer {namespaceSelector: {}, podSelector: {matchLabels:
     * {groups.idgate.io/payments: "true"}}}}.
     */
    String suggestion() {
        List<String> options = new ArrayList<>();
        for (IdentityRef ref : refs) {
            IdentityPeer peer = null;
            if (ref instanceof IdentityRef.GroupRef g) {
                peer = IdentityPeer.group(keys, g.group());
            } else if (ref instanceof IdentityRef.NamespaceRef n) {
                peer = IdentityPeer.namespace(nameOrPattern(n.namespaceGlob(), "namespace"));
            } else if (ref instanceof IdentityRef.ServiceAccountRef s) {
                String namespace = nameOrPattern(s.namespaceGlob(), "namespace");
                peer = s.nameGlob().equals("*") ? IdentityPeer.namespace(namespace)
                        : IdentityPeer.serviceAccount(keys, namespace, Globs.isLiteral(s.nameGlob())
                                ? LabelValues.encode(s.nameGlob()) : nameOrPattern(s.nameGlob(), "service account"));
            } else if (ref instanceof IdentityRef.SpiffeRef s) {
                peer = IdentityPeer.spiffeId(keys, LabelValues.encode(s.id()));
            }
            if (peer != null) {
                options.add("peer " + peer.flow());
            }
        }
        return options.isEmpty() ? "remove this peer (the rule allows no peers in this direction)"
                : "use " + String.join(" or ", options) + (options.size() > 1 ? " (one peer each)" : "");
    }

    private static String nameOrPattern(String glob, String what) {
        return Globs.isLiteral(glob) ? glob : "<" + what + " matching " + glob + ">";
    }
}
