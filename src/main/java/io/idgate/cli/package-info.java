/**
 * The {@code idgate} command line: argument parsing, reading inputs and printing reports (text, JSON,
 * JUnit XML). Nothing here decides: verdicts come from {@code io.idgate.review}, which runs the
 * webhook's own handlers. Plain Java (picocli), run before Quarkus starts; no CDI.
 */
package io.idgate.cli;
