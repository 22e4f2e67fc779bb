/**
 * Pure guardrail logic: the model of the guardrail ConfigMaps (groups and rules), their parser with
 * line-and-field errors, the merged {@link io.idgate.guardrails.GuardrailSnapshot snapshot} (which also
 * answers group membership), and the
 * {@link io.idgate.guardrails.GuardrailEvaluator evaluator} that turns a NetworkPolicy admission into
 * {@link io.idgate.guardrails.Violation violations}.
 *
 * <p>Split by concern: {@link io.idgate.guardrails.GuardrailParser} dispatches each top-level key to
 * one {@link io.idgate.guardrails.GuardrailSection section} reader ({@code IssuersSection},
 * {@code GroupsSection}, {@code RulesSection}), all reading through {@link io.idgate.yaml.StrictYamlReader};
 * each key of {@code require:} is one {@link io.idgate.guardrails.Requirement} subtype that reads
 * itself, checks a NetworkPolicy and words its violations, while the evaluator keeps only which rules
 * apply to which object.
 *
 * <p>Allowed imports: the JDK, {@code io.idgate.identity}, {@code io.idgate.netpol}, {@code io.idgate.yaml},
 * fabric8 <em>model</em> classes ({@code io.fabric8.kubernetes.api.model..}), SnakeYAML's node API
 * (the parser side only) and Jackson's tree (an issuer's inline key set, as JSON). Must not import a
 * {@code KubernetesClient}, CDI, logging, a clock, or anything from {@code io.idgate.admission},
 * {@code io.idgate.k8s} or {@code io.idgate.config}. Every type here is an immutable record or a
 * stateless utility; the same input always gives the same answer, so the webhook and the CLI agree.
 */
package io.idgate.guardrails;
