package io.idgate.guardrails;

import io.idgate.identity.GroupMembership;
import io.idgate.identity.WorkloadIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every guardrail in force: the rules and groups of all guardrail ConfigMaps, merged. Immutable; the
 * webhook swaps whole snapshots. Also answers {@link GroupMembership} for the pod identity derivation,
 * so pods and NetworkPolicies always see the same groups.
 *
 * @param rules   sorted by name (names are unique)
 * @param groups  by name (names are unique)
 * @param issuers trusted identity-token issuers by name (names and issuer URLs are unique)
 * @param invariants sorted by name (names are unique)
 * @param serviceAccountUse who must prove they may use a ServiceAccount (design section 9); null: nobody (one ConfigMap defines it)
 * @param intents    the intents of every document, in document order, and the one {@code defaults:} (design section 10)
 */
public record GuardrailSnapshot(List<Rule> rules, SortedMap<String, Group> groups, SortedMap<String, TrustedIssuer> issuers,
                                List<Invariant> invariants, ServiceAccountUse serviceAccountUse, Intents intents) implements GroupMembership {

    /** No guardrails: every NetworkPolicy is allowed and no pod is in a group. */
    public static final GuardrailSnapshot EMPTY = new GuardrailSnapshot(List.of(), new TreeMap<>());

    public GuardrailSnapshot {
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparing(Rule::name));
        rules = List.copyOf(sorted);
        groups = Collections.unmodifiableSortedMap(new TreeMap<>(groups));
        issuers = Collections.unmodifiableSortedMap(new TreeMap<>(issuers));
        invariants = invariants.stream().sorted(Comparator.comparing(Invariant::name)).toList();
        intents = intents == null ? Intents.NONE : intents;
    }

    public GuardrailSnapshot(List<Rule> rules, SortedMap<String, Group> groups, SortedMap<String, TrustedIssuer> issuers,
            List<Invariant> invariants, ServiceAccountUse serviceAccountUse) {
        this(rules, groups, issuers, invariants, serviceAccountUse, Intents.NONE);
    }

    public GuardrailSnapshot(List<Rule> rules, SortedMap<String, Group> groups, SortedMap<String, TrustedIssuer> issuers,
            List<Invariant> invariants) {
        this(rules, groups, issuers, invariants, null);
    }

    public GuardrailSnapshot(List<Rule> rules, SortedMap<String, Group> groups) {
        this(rules, groups, new TreeMap<>(), List.of());
    }

    public GuardrailSnapshot(List<Rule> rules, SortedMap<String, Group> groups, SortedMap<String, TrustedIssuer> issuers) {
        this(rules, groups, issuers, List.of());
    }

    /** The trusted issuer whose tokens carry {@code iss}, if any. */
    public java.util.Optional<TrustedIssuer> issuerFor(String iss) {
        return issuers.values().stream().filter(i -> i.issuer().equals(iss)).findFirst();
    }

    /**
     * Merges documents (typically one per data key of each guardrail ConfigMap). A rule name or a group
     * name defined in two documents is a conflict, reported at the later definition (documents are taken
     * in the order given) and naming both places; on any conflict there is no snapshot.
     */
    public static MergeResult merge(List<GuardrailDocument> documents) {
        Map<String, Rule> rules = new HashMap<>();
        Map<String, Invariant> invariants = new HashMap<>();
        TreeMap<String, Group> groups = new TreeMap<>();
        TreeMap<String, TrustedIssuer> issuers = new TreeMap<>();
        Map<String, TrustedIssuer> byUrl = new HashMap<>();
        List<ParseError> errors = new ArrayList<>();
        ServiceAccountUse serviceAccountUse = null;
        List<Intent> intents = new ArrayList<>();
        Intents defaults = null;
        for (GuardrailDocument d : documents) {
            intents.addAll(d.intents().intents());
            if (d.intents().defaults() != null && defaults != null) {
                errors.add(new ParseError(d.source().configMap(), d.source().key(), 0, "defaults",
                        "defaults: is also defined in " + defaults.defaults() + "; define the intents' defaults in one guardrail ConfigMap only"));
            } else if (d.intents().defaults() != null) {
                defaults = d.intents();
            }
            ServiceAccountUse use = d.serviceAccountUse();
            if (use != null && serviceAccountUse != null) {
                // two sets of namespaces and exemptions would leave readers guessing which one decides
                errors.add(new ParseError(d.source().configMap(), d.source().key(), use.line(), "serviceAccountUse",
                        "serviceAccountUse is also defined in " + serviceAccountUse.source().describe() + " line " + serviceAccountUse.line()
                                + "; define it in one guardrail ConfigMap only, listing every namespace there"));
            } else if (use != null) {
                serviceAccountUse = use;
            }
            for (Group g : d.groups().values()) {
                Group first = groups.putIfAbsent(g.name(), g);
                if (first != null) {
                    errors.add(new ParseError(d.source().configMap(), d.source().key(), g.line(), "groups." + g.name(),
                            "group \"" + g.name() + "\" is also defined in " + first.source().describe() + " line " + first.line()
                                    + "; group names are shared by all guardrail ConfigMaps, so rename one or merge their members"));
                }
            }
            for (TrustedIssuer i : d.issuers().values()) {
                TrustedIssuer first = issuers.putIfAbsent(i.name(), i);
                TrustedIssuer sameUrl = first == null ? byUrl.putIfAbsent(i.issuer(), i) : null;
                if (first != null) {
                    errors.add(new ParseError(d.source().configMap(), d.source().key(), i.line(), "issuers[name=" + i.name() + "]",
                            "issuer \"" + i.name() + "\" is also defined in " + first.source().describe() + " line " + first.line()
                                    + "; issuer names are shared by all guardrail ConfigMaps, so rename one or keep one definition"));
                } else if (sameUrl != null) {
                    issuers.remove(i.name());
                    errors.add(new ParseError(d.source().configMap(), d.source().key(), i.line(), "issuers[name=" + i.name() + "].issuer",
                            "issuer URL " + i.issuer() + " is also trusted as \"" + sameUrl.name() + "\" in " + sameUrl.source().describe()
                                    + "; a token's iss must name one issuer, so keep one definition"));
                }
            }
            for (Rule r : d.rules()) {
                Rule first = rules.putIfAbsent(r.name(), r);
                if (first != null) {
                    errors.add(new ParseError(d.source().configMap(), d.source().key(), r.line(), "rules[name=" + r.name() + "]",
                            "rule \"" + r.name() + "\" is also defined in " + first.source().describe() + " line " + first.line()
                                    + "; rule names must be unique across all guardrail ConfigMaps, rename one"));
                }
            }
            for (Invariant inv : d.invariants()) {
                Invariant first = invariants.putIfAbsent(inv.name(), inv);
                if (first != null) {
                    errors.add(new ParseError(d.source().configMap(), d.source().key(), inv.line(), "invariants[name=" + inv.name() + "]",
                            "invariant \"" + inv.name() + "\" is also defined in " + first.source().describe() + " line " + first.line()
                                    + "; invariant names must be unique across all guardrail ConfigMaps, rename one"));
                }
            }
        }
        if (!errors.isEmpty()) {
            return new MergeResult.Conflicts(errors);
        }
        return new MergeResult.Merged(new GuardrailSnapshot(new ArrayList<>(rules.values()), groups, issuers, new ArrayList<>(invariants.values()),
                serviceAccountUse, new Intents(intents, defaults != null && defaults.defaultDeny(), defaults != null && defaults.dns(),
                        defaults == null ? null : defaults.defaults())));
    }

    /** Names of the groups {@code identity} is a member of, sorted. */
    @Override
    public Set<String> groupsOf(WorkloadIdentity identity) {
        Set<String> names = new TreeSet<>();
        for (Group g : groups.values()) {
            if (g.contains(identity)) {
                names.add(g.name());
            }
        }
        return Collections.unmodifiableSet(names);
    }
}
