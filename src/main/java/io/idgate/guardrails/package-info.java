/**
 * Pure guardrail logic: the model of the guardrail ConfigMaps (groups and rules), their parser with
 * line-and-field errors, the merged {@link io.idgate.guardrails.GuardrailSnapshot snapshot} (which also
 * answers group membership), and the
 * {@link io.idgate.guardrails.GuardrailEvaluator evaluator} that turns a NetworkPolicy admission into
 * {@link io.idgate.guardrails.Violation violations}.
 *
 * <p>Allowed imports: the JDK, {@code io.idgate.identity}, fabric8 <em>model</em> classes
 * ({@code io.fabric8.kubernetes.api.model..}), {@code io.idgate.netpol} and SnakeYAML's node API (parser only). Must not import a
 * {@code KubernetesClient}, CDI, logging, a clock, or anything from {@code io.idgate.admission},
 * {@code io.idgate.k8s} or {@code io.idgate.config}. Every type here is an immutable record or a
 * stateless utility; the same input always gives the same answer, so the webhook and the CLI agree.
 */
package io.idgate.guardrails;
