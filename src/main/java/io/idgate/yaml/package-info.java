/**
 * Strict, typed reading of YAML documents written by people: {@link io.idgate.yaml.StrictYamlReader}
 * composes SnakeYAML nodes (never constructs objects) within fixed limits, and its typed accessors
 * report every problem to a {@link io.idgate.yaml.YamlErrors sink} with line, field path and a message
 * that says how to fix it (unknown keys get the nearest valid name). Any schema (guardrail documents
 * today, intents and invariants tomorrow) reads through it, so every schema words the same mistake
 * the same way.
 *
 * <p>Owns: the YAML limits (characters, nesting, aliases), position-less SnakeYAML errors given a line,
 * and the wording of type, key and value-shape errors. Does not own any schema: field names, defaults
 * and domain checks belong to the caller.
 *
 * <p>Allowed imports: the JDK and SnakeYAML only. Must not import any other {@code io.idgate} package
 * (it is a leaf, so every package may use it).
 */
package io.idgate.yaml;
