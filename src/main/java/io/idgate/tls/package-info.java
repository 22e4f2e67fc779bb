/**
 * The serving certificate as idgate runs it: expiry exported as a metric and warned about in the
 * log. Loading and reloading the PEM files is Quarkus's TLS registry ({@code quarkus.tls.*}); this
 * package only watches what the registry holds.
 */
package io.idgate.tls;
