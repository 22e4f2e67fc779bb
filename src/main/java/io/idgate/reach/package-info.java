/**
 * Who reaches whom (design section 7): {@link io.idgate.reach.WorldBuilder} turns Kubernetes objects
 * (already read by any loader) into a {@link io.idgate.reach.World}; {@link io.idgate.reach.Reachability}
 * computes the connections every ordered pair of peers has, over classes of identical peers and the
 * address space cut at the input's CIDR bounds; {@link io.idgate.reach.Views} folds it onto identities or
 * guardrail groups; {@link io.idgate.reach.ReachDiff}, {@link io.idgate.reach.Explanation} and
 * {@link io.idgate.reach.ReachGraph#into}/{@code outOf} answer diff, explain and who;
 * {@link io.idgate.reach.ReachText} writes the {@code txt} lines. What a single NetworkPolicy means
 * (selectors, peers, ports, connection sets, validation) lives in {@code io.idgate.netpol}, shared with
 * the guardrails.
 *
 * <p>Allowed imports: the JDK, {@code io.idgate.netpol}, {@code io.idgate.identity}, fabric8 <em>model</em>
 * classes and Jackson's tree model. Pure: no Kubernetes client, CDI, logging, clock or files; must not
 * import {@code guardrails}, {@code k8s}, {@code render} or any front end (callers give guardrail group
 * membership as a function).
 */
package io.idgate.reach;
