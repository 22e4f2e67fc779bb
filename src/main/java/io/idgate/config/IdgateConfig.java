package io.idgate.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every {@code idgate.*} setting, with its default. docs/reference.md ("Settings") lists them for users. */
@ConfigMapping(prefix = "idgate")
public interface IdgateConfig {

    /** Prefix {@code P} of the owned label and annotation keys ({@code P/...} and {@code *.P/...}). */
    @WithDefault("idgate.io")
    String labelPrefix();

    /** SPIFFE trust domain used in {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}. */
    @WithDefault("cluster.local")
    String trustDomain();

    /** The cluster's ServiceAccount token issuer, written to the {@code P/oidc-issuer} annotation. */
    @WithDefault("https://kubernetes.default.svc.cluster.local")
    String oidcIssuer();

    /**
     * Where ServiceAccounts (and guardrails, NetworkPolicies) come from: {@code kubernetes} (informers
     * on the cluster of the kubeconfig or in-cluster config) or {@code none} (the YAML files under
     * {@link #manifests()}).
     */
    @WithDefault("kubernetes")
    Cluster cluster();

    /** Directory of Kubernetes YAML/JSON manifests read when {@code idgate.cluster=none}. */
    Optional<String> manifests();

    ServiceAccountSettings serviceAccount();

    ServiceAccountUseSettings serviceAccountUse();

    GuardrailSettings guardrails();

    TlsSettings tls();

    ApiSettings api();

    AuditSettings audit();

    ReachSettings reach();

    AdmissionSettings admission();

    /** Where identity comes from. */
    enum Cluster {
        KUBERNETES,
        NONE
    }

    /** What to do with a pod whose ServiceAccount cannot be read. */
    enum OnMissing {
        /** Refuse the pod, naming the ServiceAccount (fail closed: the default). */
        DENY,
        /** Admit the pod without identity labels, with a warning. */
        ALLOW
    }

    interface ServiceAccountSettings {
        /** Pod whose ServiceAccount is in neither the cache nor the API server: {@code deny} or {@code allow}. */
        @WithDefault("deny")
        OnMissing onMissing();

        /** Bound on the one GET made on a cache miss; the API server's webhook timeout must leave room for it. */
        @WithDefault("500ms")
        Duration lookupTimeout();
    }

    /** The check of guardrail {@code serviceAccountUse:} (docs/service-account-use.md): one SubjectAccessReview per question. */
    interface ServiceAccountUseSettings {
        /**
         * How long one SubjectAccessReview may take; past it the pod or workload is refused (fail closed)
         * with a message saying the API server did not answer. Keep it under the workloads webhook's
         * timeoutSeconds (5), so the refusal is idgate's and not the API server's timeout.
         */
        @WithDefault("2s")
        Duration timeout();

        /**
         * How long an answer is reused for the same requester (user, uid, groups, extra), namespace and
         * ServiceAccount, so a rollout asks once. A revoked grant takes up to this long to bite.
         * {@code 0s}: every check asks the API server.
         */
        @WithDefault("10s")
        Duration cacheTtl();

        /** At most this many answers are kept; the least recently used goes first. {@code 0}: nothing is cached. */
        @WithDefault("10000")
        int cacheSize();
    }

    interface GuardrailSettings {
        /** Namespace of the guardrail ConfigMaps; default: the pod's own namespace (POD_NAMESPACE), else idgate-system. */
        @WithName("namespace")
        @WithDefault("${POD_NAMESPACE:idgate-system}")
        String namespace();
    }

    interface TlsSettings {
        /** Warn in the log when the serving certificate expires sooner than this. */
        @WithDefault("720h")
        Duration expiryWarning();

        /** How often the certificate files are checked for a rotation (served without a restart when they change). */
        @WithDefault("10s")
        Duration reloadCheck();

        /**
         * PEM bundle of the CAs that issue the API server's client certificate. When set, the
         * admission paths answer only clients presenting a certificate from these CAs (checked
         * again every reload-check); unset, any client may send reviews.
         */
        Optional<String> clientCa();

        /**
         * Subject common names or DNS names one of which the client certificate must carry (e.g.
         * {@code kube-apiserver}); unset, any certificate from {@link #clientCa()} is accepted.
         */
        Optional<List<String>> clientNames();
    }

    interface AuditSettings {
        /**
         * How often the server audits the cluster as {@code idgate audit} does, exporting
         * {@code idgate_audit_violations{rule}} and {@code idgate_audit_stale_pods}. {@code 0s} (the
         * default) switches it off: each run lists every pod, policy and namespace, which a large
         * cluster should opt into. Only with {@code idgate.cluster=kubernetes}.
         */
        @WithDefault("0s")
        Duration interval();

        /**
         * Also write each run's findings to the cluster as {@code wgpolicyk8s.io/v1alpha2} PolicyReports
         * (one per namespace) and a ClusterPolicyReport, for Policy Reporter and other policy tooling.
         * Off by default: it needs the PolicyReport CRDs and write access to them
         * (k8s/components/policy-reports).
         */
        @WithDefault("false")
        boolean policyReports();
    }

    interface ReachSettings {
        /**
         * Answer NetworkPolicy CREATE, UPDATE and DELETE with warnings saying what the change opens and
         * closes between identities ({@code reachability: opens ...}). Never changes a decision. On,
         * idgate also watches every pod and namespace (slim copies) and readiness waits for them.
         */
        @WithDefault("true")
        boolean preview();

        /**
         * Time the preview may add to a NetworkPolicy review; past it the answer carries one warning
         * that the preview was skipped instead (the decision is never delayed further). Includes a
         * rebuild of the live world after pods, namespaces or policies changed.
         */
        @WithDefault("50ms")
        Duration previewBudget();

        /**
         * Judge the {@code invariants:} of the guardrails at admission: NetworkPolicy CREATE, UPDATE and
         * DELETE, pod CREATE and label UPDATE, namespace label UPDATE. On, idgate watches every pod and
         * namespace (slim copies) even with the preview off; without invariants in force nothing is judged.
         */
        @WithDefault("true")
        boolean invariants();

        /**
         * Time an invariant judgement may take. A deny invariant that cannot be judged within it refuses
         * the change (fail closed) and says why; warn and audit invariants warn and annotate instead.
         * Keep it under the webhooks' timeoutSeconds.
         */
        @WithDefault("1s")
        Duration invariantBudget();
    }

    interface AdmissionSettings {
        /**
         * Heap that admission reviews in flight may take, their bodies and the JSON trees read from
         * them (each charged at 24 times its body's length). A review that does not fit waits, unread,
         * for {@link #memoryBudgetWait()}, then gets HTTP 429 and the webhook's failurePolicy applies
         * (docs/install.md, "Large reviews"). Default: half the maximum heap (64 MiB at the shipped
         * {@code -Xmx128m}).
         */
        Optional<MemorySize> memoryBudget();

        /** How long a review may wait for room in the memory budget before it is answered 429; under the webhooks' timeoutSeconds. */
        @WithDefault("2s")
        Duration memoryBudgetWait();
    }

    interface ApiSettings {
        /** Token groups (the {@code groups} claim) that grant the viewer role of the query API. */
        @WithDefault("idgate-viewers")
        java.util.List<String> viewerGroups();

        /** Token groups that grant the admin role (which includes viewer). */
        @WithDefault("idgate-admins")
        java.util.List<String> adminGroups();
    }
}
