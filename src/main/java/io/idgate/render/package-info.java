/**
 * Every output format in one place, as pure string functions over the engine's results: the
 * check/audit {@link io.idgate.render.Report} (text, JSON, JUnit XML), the identity document of
 * {@code idgate labels} and the query API. No CDI, no I/O besides bundled resources.
 */
package io.idgate.render;
