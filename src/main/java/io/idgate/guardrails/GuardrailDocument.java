package io.idgate.guardrails;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One parsed data key of a guardrail ConfigMap. Self-contained: every {@code group:} reference of its
 * rules names a group defined in the same document, and every claim member an issuer defined there.
 *
 * @param source  where it came from
 * @param groups  by name
 * @param rules   in the order written
 * @param issuers by name
 * @param invariants in the order written
 * @param serviceAccountUse its {@code serviceAccountUse:} section; null when it has none
 * @param intents its {@code intents:} and {@code defaults:} ({@link Intents#NONE} when it has neither)
 */
public record GuardrailDocument(Source source, SortedMap<String, Group> groups, List<Rule> rules, SortedMap<String, TrustedIssuer> issuers,
                                List<Invariant> invariants, ServiceAccountUse serviceAccountUse, Intents intents) {

    public GuardrailDocument(Source source, SortedMap<String, Group> groups, List<Rule> rules, SortedMap<String, TrustedIssuer> issuers,
            List<Invariant> invariants, ServiceAccountUse serviceAccountUse) {
        this(source, groups, rules, issuers, invariants, serviceAccountUse, Intents.NONE);
    }

    public GuardrailDocument {
        groups = Collections.unmodifiableSortedMap(new TreeMap<>(groups));
        rules = List.copyOf(rules);
        issuers = Collections.unmodifiableSortedMap(new TreeMap<>(issuers));
        invariants = List.copyOf(invariants);
        intents = intents == null ? Intents.NONE : intents;
    }

    public GuardrailDocument(Source source, SortedMap<String, Group> groups, List<Rule> rules, SortedMap<String, TrustedIssuer> issuers,
            List<Invariant> invariants) {
        this(source, groups, rules, issuers, invariants, null);
    }

    public GuardrailDocument(Source source, SortedMap<String, Group> groups, List<Rule> rules) {
        this(source, groups, rules, new TreeMap<>(), List.of());
    }
}
