/**
 * The {@code idgate} command-line front end: argument parsing, reading inputs through
 * {@code io.idgate.k8s} (the one loader), and printing what {@code io.idgate.render} renders. Nothing
 * here decides: verdicts come from {@code io.idgate.engine} (through {@code io.idgate.review} for
 * check and audit). Plain Java (picocli), run before Quarkus starts; no CDI.
 */
package io.idgate.cli;
