/**
 * Pure identity logic: which identity labels and annotations a pod must carry, how a value becomes a
 * valid label value, which keys idgate owns, and how a pod's keys differ from the derivation.
 *
 * <p>No I/O here: no Kubernetes client, no CDI, no logging, no clock. Inputs are plain records and
 * maps; the webhook ({@code io.idgate.admission}) and the CLI call the same functions, so both give the
 * same answer for the same input.
 */
package io.idgate.identity;
