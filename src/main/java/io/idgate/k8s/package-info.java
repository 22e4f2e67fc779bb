/**
 * Where Kubernetes objects come from, and how they become typed: informer caches on a live cluster, a
 * directory of manifests in standalone mode ({@code idgate.cluster=none}), files for the CLI. One
 * loader ({@link io.idgate.k8s.ClusterObjects}: objects sorted by kind, one default-namespace rule),
 * one binder per kind ({@link io.idgate.k8s.NetworkPolicyBinder},
 * {@link io.idgate.k8s.GuardrailConfigMapReader}, {@link io.idgate.k8s.PodTemplates}), so every front
 * end refuses the same bad object with the same words. Decisions live in {@code io.idgate.engine}.
 */
package io.idgate.k8s;
