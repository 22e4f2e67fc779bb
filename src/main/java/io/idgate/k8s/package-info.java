/**
 * Where Kubernetes objects come from: informer caches on a live cluster, or a directory of manifests
 * in standalone mode ({@code idgate.cluster=none}). Everything here is I/O; decisions live in
 * {@code io.idgate.identity} and {@code io.idgate.guardrails}.
 */
package io.idgate.k8s;
