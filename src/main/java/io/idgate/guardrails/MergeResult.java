package io.idgate.guardrails;

import java.util.List;

/** The outcome of merging parsed guardrail documents: a snapshot, or the conflicts between documents. */
public sealed interface MergeResult {

    /** No conflicts. */
    record Merged(GuardrailSnapshot snapshot) implements MergeResult {}

    /** Rule or group names defined in more than one place; each error names both ConfigMaps. */
    record Conflicts(List<ParseError> errors) implements MergeResult {
        public Conflicts {
            errors = List.copyOf(errors);
        }
    }
}
