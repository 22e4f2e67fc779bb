package io.idgate.guardrails;

import org.yaml.snakeyaml.nodes.Node;

/**
 * The reader of one top-level key of a guardrail document ({@code issuers:}, {@code groups:},
 * {@code rules:}). A new section ({@code invariants:}, {@code intents:}, ...) is one new implementation,
 * listed in {@link GuardrailParser#SECTIONS}.
 */
interface GuardrailSection {

    /** The top-level key this section reads. */
    String key();

    /**
     * Reads the section's value into {@code doc}, reporting every problem to {@code doc.yaml()}; what is
     * wrong is left out of the document (the errors reject it anyway).
     */
    void read(Node value, DocumentContext doc);

    /** The section's value as a mapping, for sections that are one; null (and an error) when it is not. */
    default org.yaml.snakeyaml.nodes.MappingNode mapping(Node value, DocumentContext doc) {
        return doc.yaml().mapping(value, key());
    }
}
