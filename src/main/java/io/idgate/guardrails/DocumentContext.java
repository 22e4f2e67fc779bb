package io.idgate.guardrails;

import io.idgate.yaml.StrictYamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What the sections of one guardrail document build together: the reader (and its error sink), the
 * parts read so far, and the references between sections, which are checked once every section has
 * been read (a rule may name a group defined further down).
 */
public final class DocumentContext {

    private record PendingGroupRef(String group, String path, int line) {}

    /** A claim member, checked once the document's issuers are known. */
    private record PendingClaimRef(GroupMember.ClaimRef claim, String value, String path, int line) {}

    private final StrictYamlReader yaml;
    private final Source source;
    final TreeMap<String, TrustedIssuer> issuers = new TreeMap<>();
    final TreeMap<String, Group> groups = new TreeMap<>();
    final List<Rule> rules = new ArrayList<>();
    final List<Invariant> invariants = new ArrayList<>();
    ServiceAccountUse serviceAccountUse;
    final List<Intent> intents = new ArrayList<>();
    boolean defaultDeny;
    boolean dns;
    /** The line of {@code defaults:}; 0 when the document has none. */
    int defaultsLine;
    /** Groups defined outside this document that references may name (an intents file); null: only this document's. */
    private final java.util.Set<String> outsideGroups;
    private final List<PendingGroupRef> groupRefs = new ArrayList<>();
    private final List<PendingClaimRef> claimRefs = new ArrayList<>();

    DocumentContext(StrictYamlReader yaml, Source source) {
        this(yaml, source, null);
    }

    /** A document whose group references may also name {@code outsideGroups} (null: only its own groups). */
    DocumentContext(StrictYamlReader yaml, Source source, java.util.Set<String> outsideGroups) {
        this.yaml = yaml;
        this.source = source;
        this.outsideGroups = outsideGroups == null ? null : java.util.Set.copyOf(outsideGroups);
    }

    /** The intents and defaults read from this document. */
    Intents intents() {
        return new Intents(intents, defaultDeny, dns, defaultsLine == 0 ? null : source.describe() + " line " + defaultsLine);
    }

    public StrictYamlReader yaml() {
        return yaml;
    }

    public Source source() {
        return source;
    }

    /** A {@code group:<name>} reference at {@code path}; the group must be defined in this document. */
    public void referGroup(String group, String path, int line) {
        groupRefs.add(new PendingGroupRef(group, path, line));
    }

    /** A claim member at {@code path}; its issuer must be defined in this document and map the claim. */
    void referClaim(GroupMember.ClaimRef claim, String value, String path, int line) {
        claimRefs.add(new PendingClaimRef(claim, value, path, line));
    }

    /** Reports every reference to a group, issuer or claim this document does not define. */
    void checkReferences() {
        for (PendingGroupRef ref : groupRefs) {
            if (outsideGroups != null && !groups.containsKey(ref.group()) && !outsideGroups.contains(ref.group())) {
                java.util.TreeSet<String> known = new java.util.TreeSet<>(outsideGroups);
                known.addAll(groups.keySet());
                yaml.error(ref.line(), ref.path(), "group \"" + ref.group() + "\" is not defined by the guardrails of the inputs; define it"
                        + " under groups: of a guardrail ConfigMap among the inputs" + (known.isEmpty() ? " (none defines any group)"
                        : " or use one of " + String.join(", ", known)));
            } else if (outsideGroups == null && !groups.containsKey(ref.group())) {
                yaml.error(ref.line(), ref.path(), "group \"" + ref.group() + "\" is not defined in this document; define it under"
                        + " groups: here" + (groups.isEmpty() ? "" : " or use one of " + String.join(", ", groups.keySet())));
            }
        }
        for (PendingClaimRef ref : claimRefs) {
            TrustedIssuer issuer = issuers.get(ref.claim().issuer());
            if (issuer == null) {
                yaml.error(ref.line(), ref.path(), "issuer \"" + ref.claim().issuer() + "\" is not defined in this document; define it under"
                        + " issuers: here" + (issuers.isEmpty() ? "" : " or use one of " + String.join(", ", issuers.keySet())));
            } else if (!issuer.claims().containsKey(ref.claim().name())) {
                yaml.error(ref.line(), ref.path(), "issuer \"" + issuer.name() + "\" maps no claim \"" + ref.claim().name() + "\"; add it under"
                        + " its claims: with the values to accept" + (issuer.claims().isEmpty() ? "" : " (mapped: "
                        + String.join(", ", issuer.claims().keySet()) + ")"));
            } else if (!ref.value().contains("*") && !issuer.allows(ref.claim().name(), ref.value())) {
                yaml.error(ref.line(), ref.path(), "value \"" + ref.value() + "\" is not in the allow-list of claim " + ref.claim().name()
                        + " of issuer \"" + issuer.name() + "\" (" + String.join(", ", issuer.claims().get(ref.claim().name()))
                        + "), so no token could ever match; add it there or fix the value");
            }
        }
    }
}
