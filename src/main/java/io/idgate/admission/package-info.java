/**
 * HTTP and AdmissionReview plumbing: decoding a review (and refusing anything that is not one),
 * building responses, JSON patches, and the handlers where I/O (ServiceAccount lookups) meets the
 * pure decisions of {@code io.idgate.identity} and {@code io.idgate.guardrails}.
 *
 * <p>Only {@link io.idgate.admission.AdmissionResponses} builds a response. Every answer to a
 * well-formed review is HTTP 200 with {@code response.uid} copied; HTTP 400 is reserved for bodies
 * that are not an AdmissionReview v1; nothing answers with a stack trace.
 */
package io.idgate.admission;
