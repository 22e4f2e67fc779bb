/**
 * The output formats of {@code idgate reach} ({@code -o txt|json|csv|md|dot|svg|html}), one file per
 * format as in np-guard's netpol-analyzer ({@code conns_formatter_txt.go}, {@code _csv}, ...), each for
 * a list ({@link io.idgate.render.reach.GraphModel}) and a diff ({@link io.idgate.render.reach.DiffModel}).
 *
 * <p>The model is this package's own: the reachability engine's result is adapted to it, so the
 * formats do not move when the engine does. {@link io.idgate.render.reach.ReachOutput} picks the
 * renderer by name.
 *
 * <p>Contract (design section 7): {@code txt} lines are exactly {@code <src> => <dst> : <conns>} (and
 * {@code +}, {@code -}, {@code ~} for a diff), so users of other analyzers can compare line by line;
 * the spoofable flag appears in every structured format instead. {@code svg} and {@code html} are laid
 * out by the Eclipse Layout Kernel (layered algorithm, fixed seed), never by a home-made layout;
 * {@code html} needs no network.
 *
 * <p>Pure: no CDI, logging, clock or I/O. Same input, same bytes, in every format.
 */
package io.idgate.render.reach;
