/**
 * What idgate prints, as pure string functions: each renderer takes a small immutable model and
 * returns the text of one output format. The front ends (CLI, webhook, page) own the I/O, so one
 * renderer serves all of them and a test needs no files or server.
 *
 * <p>Pure: no CDI, logging, clock or file access; a renderer may read a resource bundled in the jar.
 * Same input, same bytes.
 */
package io.idgate.render;
