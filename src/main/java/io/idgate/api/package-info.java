/**
 * idgate's own query API ({@code /api/v1}): bearer tokens verified by smallrye-jwt against the issuer
 * of {@code mp.jwt.verify.*}, roles from the token's {@code groups} claim. Answers with the same engines
 * and renderings as the CLI. The admission endpoints, health and metrics are not behind it.
 */
package io.idgate.api;
