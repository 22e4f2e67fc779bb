package io.idgate.yaml;

/**
 * One problem found while reading a YAML document.
 *
 * @param line    1-based line in the document, 0 when no line applies
 * @param path    field path, e.g. {@code rules[0].match.namespaces[1]}; empty for the document as a whole
 * @param message what is wrong and how to fix it
 */
public record YamlError(int line, String path, String message) {}
