/**
 * Every output format in one place, as pure string functions over the engine's results: the
 * check/audit {@link io.idgate.render.Report} (text, JSON, JUnit XML), the identity document of
 * {@code idgate labels} and the query API, and the formats of {@code idgate reach}
 * ({@code io.idgate.render.reach}). The front ends (CLI, webhook, page) own the I/O, so one renderer
 * serves all of them and a test needs no files or server.
 *
 * <p>Pure: no CDI, logging, clock or file access; a renderer may read a resource bundled in the jar.
 * Same input, same bytes.
 */
package io.idgate.render;
