package io.idgate.guardrails;

import java.util.List;

/** The outcome of parsing one guardrail document: the model, or every error found. */
public sealed interface ParseResult {

    /** The document parsed cleanly. */
    record Parsed(GuardrailDocument document) implements ParseResult {}

    /** The document is rejected; {@code errors} is non-empty, sorted by line. */
    record Invalid(List<ParseError> errors) implements ParseResult {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
