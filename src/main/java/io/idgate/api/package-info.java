/**
 * The query API front end ({@code /api/v1}): bearer tokens verified by smallrye-jwt against the issuer
 * of {@code mp.jwt.verify.*}, roles from the token's {@code groups} claim. Answers with the webhook's
 * own engine ({@code io.idgate.engine}) over the caches in force, rendered by {@code io.idgate.render}
 * as the CLI renders them. The page ({@code /ui/}, static files in META-INF/resources/ui, headers in
 * {@link io.idgate.api.ReachPage}) is a client of this API, with no data of its own. Must not import {@code io.idgate.cli} or {@code io.idgate.admission}.
 */
package io.idgate.api;
