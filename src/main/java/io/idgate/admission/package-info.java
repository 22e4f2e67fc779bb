/**
 * The admission front end: HTTP and AdmissionReview plumbing only. Decoding a review (and refusing
 * anything that is not one), building responses, JSON patches, metrics, and thin handlers that hand
 * the object to {@code io.idgate.engine} and turn its answer into a response. No decision is made here.
 *
 * <p>Only {@link io.idgate.admission.AdmissionResponses} builds a response. Every answer to a
 * well-formed review is HTTP 200 with {@code response.uid} copied; HTTP 400 is reserved for bodies
 * that are not an AdmissionReview v1 (or carry an object the engine cannot read); nothing answers with
 * a stack trace. Must not import {@code io.idgate.cli} or {@code io.idgate.api}.
 */
package io.idgate.admission;
