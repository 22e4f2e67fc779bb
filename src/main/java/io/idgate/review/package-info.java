/**
 * Reviews objects outside admission: {@code idgate check} over manifest files, {@code idgate audit}
 * and the scheduled in-server audit over a live cluster. It only feeds objects from
 * {@code io.idgate.k8s} to {@code io.idgate.engine} and collects its {@link io.idgate.engine.Finding}s;
 * no decision is made here. Plain Java except {@link io.idgate.review.ScheduledAudit} and
 * {@link io.idgate.review.PolicyReportWriter}, which writes its findings back to the cluster.
 */
package io.idgate.review;
