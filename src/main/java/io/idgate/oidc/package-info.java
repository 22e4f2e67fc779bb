/**
 * Identity tokens from trusted issuers (guardrail {@code issuers:}): their key sets, fetched and
 * refreshed, and the verification of the token a ServiceAccount carries, with smallrye-jwt. I/O
 * (key-set fetches, the clock) lives here; which claims become groups is decided by the pure
 * {@code io.idgate.guardrails} model.
 */
package io.idgate.oidc;
