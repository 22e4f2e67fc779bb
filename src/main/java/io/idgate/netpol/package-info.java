/**
 * What a NetworkPolicy means, with nothing about guardrails or identity rules: label selectors and
 * their exact semantics ({@link io.idgate.netpol.Selectors}: matching, satisfiability, overlap, what a
 * selector requires of a key), CIDR blocks and address arithmetic, label-key syntax. Both the
 * guardrail evaluator and the reachability engine read NetworkPolicies through this package, so the
 * two cannot disagree about what a selector selects.
 *
 * <p>Allowed imports: the JDK, {@code io.idgate.identity} and fabric8 <em>model</em> classes. Pure:
 * no client, CDI, logging or clock.
 */
package io.idgate.netpol;
