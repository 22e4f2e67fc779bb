/**
 * Static settings ({@code idgate.*} in {@code application.properties}, each overridable by an
 * environment variable such as {@code IDGATE_LABEL_PREFIX}). Validated once at startup; a bad value
 * stops the process with a message naming the property and the fix.
 */
package io.idgate.config;
