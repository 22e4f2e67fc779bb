/**
 * The decisions every front end shares, so the webhook, the CLI, the audit and the query API cannot
 * disagree: {@link io.idgate.engine.PodIdentityResolver} (the identity a pod must carry),
 * {@link io.idgate.engine.PodMutationPreview} (what CREATE of a pod gets),
 * {@link io.idgate.engine.NetworkPolicyJudge} (guardrail violations of a NetworkPolicy admission) and
 * {@link io.idgate.engine.ObjectReviewer} (the same, as {@link io.idgate.engine.Finding}s).
 *
 * <p>I/O comes in through interfaces ({@code io.idgate.k8s.ServiceAccountLookup},
 * {@code io.idgate.k8s.NetworkPolicySource}, {@code io.idgate.identity.IdentityTokens}); no client,
 * CDI, logging or HTTP here. Must not import a front end ({@code admission}, {@code cli}, {@code api}).
 */
package io.idgate.engine;
