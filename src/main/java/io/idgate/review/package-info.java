/**
 * Reviews objects outside admission, with the webhook's own handlers: {@code idgate check} over
 * manifest files, {@code idgate audit} and the scheduled in-server audit over a live cluster. The
 * decisions stay in the handlers and the pure engines; this package only feeds them objects and
 * collects {@link io.idgate.review.Finding}s. Plain Java except {@link io.idgate.review.ScheduledAudit}.
 */
package io.idgate.review;
