package io.idgate.guardrails;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The guardrail ConfigMaps seen so far and the snapshot they make, as a state machine fed one
 * ConfigMap event at a time. Pure: the informer (or the manifests directory, or the CLI) feeds it.
 *
 * <p>A ConfigMap whose new version does not parse, or that conflicts with another ConfigMap (a rule or
 * group name defined twice), is <em>rejected</em>: its last valid version stays in force and its state
 * says why. Every data key ending in {@code .yaml} is a guardrail document. Callers serialise events
 * (the informer delivers them on one thread); {@link #snapshot()} may be read from any thread, since
 * snapshots are immutable and published through a volatile field.
 */
public final class GuardrailConfigMaps {

    /** A ConfigMap as idgate reads it. */
    public record ConfigMapData(String namespace, String name, String resourceVersion, Map<String, String> data) {
        public String id() {
            return namespace + "/" + name;
        }
    }

    /**
     * Where a ConfigMap stands.
     *
     * @param valid   its latest version parsed and merged
     * @param inForce some version of it is in force (the latest when valid, else the last valid one)
     * @param errors  why the latest version was refused; empty when valid
     */
    public record State(String configMap, String resourceVersion, boolean valid, boolean inForce, List<ParseError> errors) {}

    /** What checking or applying one ConfigMap gives: its documents, or why it is refused. */
    public record ConfigMapCheck(List<GuardrailDocument> documents, List<ParseError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private final SortedMap<String, List<GuardrailDocument>> accepted = new TreeMap<>();
    private final SortedMap<String, State> states = new TreeMap<>();
    private volatile GuardrailSnapshot snapshot = GuardrailSnapshot.EMPTY;

    /** The guardrails in force. */
    public GuardrailSnapshot snapshot() {
        return snapshot;
    }

    /** One state per ConfigMap seen, by {@code namespace/name}. */
    public synchronized SortedMap<String, State> states() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(states));
    }

    /**
     * What applying {@code configMap} would give, without applying it: its parse errors, or its
     * conflicts with the other ConfigMaps in force. The validating webhook answers with this.
     */
    public synchronized ConfigMapCheck check(ConfigMapData configMap) {
        List<ParseError> errors = new ArrayList<>();
        List<GuardrailDocument> documents = new ArrayList<>();
        new TreeMap<>(configMap.data() == null ? Map.<String, String>of() : configMap.data()).forEach((key, yaml) -> {
            if (!key.endsWith(".yaml")) {
                return;
            }
            ParseResult result = GuardrailParser.parse(configMap.namespace(), configMap.name(), key, yaml == null ? "" : yaml);
            if (result instanceof ParseResult.Parsed parsed) {
                documents.add(parsed.document());
            } else {
                errors.addAll(((ParseResult.Invalid) result).errors());
            }
        });
        if (!errors.isEmpty()) {
            return new ConfigMapCheck(List.of(), errors);
        }
        MergeResult merged = GuardrailSnapshot.merge(withReplaced(configMap.id(), documents));
        if (merged instanceof MergeResult.Conflicts conflicts) {
            return new ConfigMapCheck(List.of(), conflicts.errors());
        }
        return new ConfigMapCheck(List.copyOf(documents), List.of());
    }

    /** Applies a created or updated ConfigMap; returns what happened to it. */
    public synchronized ConfigMapCheck apply(ConfigMapData configMap) {
        ConfigMapCheck outcome = check(configMap);
        if (outcome.valid()) {
            accepted.put(configMap.id(), outcome.documents());
            snapshot = ((MergeResult.Merged) GuardrailSnapshot.merge(all())).snapshot();
            states.put(configMap.id(), new State(configMap.id(), configMap.resourceVersion(), true, true, List.of()));
        } else {
            states.put(configMap.id(), new State(configMap.id(), configMap.resourceVersion(), false,
                    accepted.containsKey(configMap.id()), outcome.errors()));
        }
        return outcome;
    }

    /**
     * Records a ConfigMap that cannot even be read (its data is not a map of strings): refused like one
     * that does not parse, its last valid version (if any) kept in force.
     */
    public synchronized void refuse(String namespace, String name, String resourceVersion, String problem) {
        String id = namespace + "/" + name;
        states.put(id, new State(id, resourceVersion, false, accepted.containsKey(id), List.of(new ParseError(id, "", 0, "", problem))));
    }

    /** Forgets a deleted ConfigMap (or one that lost its guardrail label); its rules stop applying. */
    public synchronized void remove(String namespace, String name) {
        String id = namespace + "/" + name;
        states.remove(id);
        if (accepted.remove(id) != null) {
            // removing documents cannot create a conflict, so the merge succeeds
            snapshot = ((MergeResult.Merged) GuardrailSnapshot.merge(all())).snapshot();
        }
    }

    private List<GuardrailDocument> all() {
        List<GuardrailDocument> out = new ArrayList<>();
        accepted.values().forEach(out::addAll);
        return out;
    }

    /** The accepted documents with {@code id}'s replaced by {@code documents}, the candidate last. */
    private List<GuardrailDocument> withReplaced(String id, List<GuardrailDocument> documents) {
        List<GuardrailDocument> out = new ArrayList<>();
        accepted.forEach((other, docs) -> {
            if (!other.equals(id)) {
                out.addAll(docs);
            }
        });
        out.addAll(documents);
        return out;
    }
}
