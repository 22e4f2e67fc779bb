package io.idgate.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.ServiceAccountUse;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.PodTemplates;
import io.idgate.k8s.ServiceAccountAuthorizer;
import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Who may run as a ServiceAccount (design section 9, guardrail {@code serviceAccountUse:}): in the
 * namespaces it names, whoever creates a pod, or creates a workload or changes its ServiceAccount, must
 * be allowed to {@code use} {@code serviceaccounts/<name>}. Plain RBAC lets anyone who may create pods
 * in a namespace run them as any ServiceAccount there; this closes that.
 *
 * <p>Answers are cached for {@code ttl} per requester (username, uid, groups, extra) and ServiceAccount,
 * so a rollout of many pods asks once; a revoked grant therefore takes up to {@code ttl} to bite. A
 * question the API server does not answer within {@code timeout} (or fails) is {@link Decision.Unanswered}:
 * the front ends refuse it, since a check that lets everything through while the API server is slow is
 * no check. Unanswered questions are not cached.
 */
public final class ServiceAccountUseCheck {

    /** The guardrail name refusals carry. */
    public static final String RULE = "serviceAccountUse";

    /** What the check decided. */
    public sealed interface Decision {}

    /** Nothing to check, or the requester may use the ServiceAccount. */
    public record Allowed() implements Decision {}

    /** The requester may not use the ServiceAccount; {@code line} says who, which and the Role rule that would allow it. */
    public record Refused(String line) implements Decision {}

    /** The API server did not answer; {@code message} says so (the caller refuses), {@code cause} is for the log only. */
    public record Unanswered(String message, Throwable cause) implements Decision {}

    private static final Decision ALLOWED = new Allowed();

    /** How a check that applied ended, as the metrics count it. */
    public enum Result {
        /** The requester may use the ServiceAccount. */
        ALLOWED,
        /** The requester may not use it. */
        REFUSED,
        /** The requester is one of {@code exemptRequesters}: nobody was asked. */
        EXEMPT,
        /** The API server did not answer (in time): refused, fail closed. */
        ERROR
    }

    /**
     * What the front ends count (the server's meters; the CLI counts nothing). Only checks that apply
     * are seen: a namespace the guardrail does not cover, a pod UPDATE or an unchanged ServiceAccount is
     * no check.
     */
    public interface Listener {
        /** One check ended with {@code result}; {@code cached}: the answer came from the cache, nobody was asked. */
        void checked(Result result, boolean cached);

        /** One question to the authorizer took {@code nanos}; {@code answered} false: it failed or timed out. */
        void asked(long nanos, boolean answered);

        Listener NONE = new Listener() {
            @Override
            public void checked(Result result, boolean cached) {}

            @Override
            public void asked(long nanos, boolean answered) {}
        };
    }

    /** The authorizer's answer and whether the cache gave it. */
    private record Answered(boolean allowed, boolean cached) {}

    private record Key(Requester requester, String namespace, String serviceAccount) {}

    private record Answer(boolean allowed, long expiresAt) {}

    private final Supplier<GuardrailSnapshot> guardrails;
    private final ServiceAccountAuthorizer authorizer;
    private final Duration timeout;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Map<Key, Answer> cache;
    private final Listener listener;

    /** A check that nobody counts (tests, the CLI). */
    public ServiceAccountUseCheck(Supplier<GuardrailSnapshot> guardrails, ServiceAccountAuthorizer authorizer, Duration timeout, Duration ttl,
            int maxEntries, LongSupplier nanoTime) {
        this(guardrails, authorizer, timeout, ttl, maxEntries, nanoTime, Listener.NONE);
    }

    /**
     * @param timeout    how long one question to the authorizer may take; past it the check is unanswered
     * @param ttl        how long an answer is reused; zero: never cached
     * @param maxEntries cache bound; the least recently used answer goes first
     * @param nanoTime   the clock of the cache and of {@link Listener#asked} ({@code System::nanoTime}; tests move their own)
     */
    public ServiceAccountUseCheck(Supplier<GuardrailSnapshot> guardrails, ServiceAccountAuthorizer authorizer, Duration timeout, Duration ttl,
            int maxEntries, LongSupplier nanoTime, Listener listener) {
        this.listener = listener;
        this.guardrails = guardrails;
        this.authorizer = authorizer;
        this.timeout = timeout;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Answer> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /**
     * Judges the admission of {@code object} (a Pod, or a workload kind of {@link PodTemplates}) in
     * {@code namespace}: a Pod on CREATE, a workload on CREATE and on UPDATE when its ServiceAccount
     * changes ({@code oldObject} non-null means UPDATE). Pods are immutable in their ServiceAccount, so a
     * pod UPDATE has nothing to check. Throws {@link InvalidObject} for an object that names no readable
     * ServiceAccount.
     */
    public CompletionStage<Decision> review(String kind, String namespace, ObjectNode object, ObjectNode oldObject, Requester requester) {
        ServiceAccountUse use = guardrails.get().serviceAccountUse();
        if (use == null || !use.covers(namespace) || "Pod".equals(kind) && oldObject != null) {
            return CompletableFuture.completedFuture(ALLOWED);
        }
        String field = field(kind);
        String serviceAccount = serviceAccount(kind, object);
        if (oldObject != null && serviceAccount.equals(oldServiceAccount(kind, oldObject))) {
            return CompletableFuture.completedFuture(ALLOWED); // already running as it: someone was checked when it was set
        }
        if (use.exempts(requester.username())) {
            listener.checked(Result.EXEMPT, false);
            return CompletableFuture.completedFuture(ALLOWED);
        }
        return mayUse(requester, namespace, serviceAccount).<Decision>thenApply(answer -> {
            listener.checked(answer.allowed() ? Result.ALLOWED : Result.REFUSED, answer.cached());
            return answer.allowed() ? ALLOWED : refusal(field, requester, namespace, serviceAccount);
        }).exceptionally(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            listener.checked(Result.ERROR, false);
            return new Unanswered(unanswered(requester, namespace, serviceAccount, cause), cause);
        });
    }

    private CompletionStage<Answered> mayUse(Requester requester, String namespace, String serviceAccount) {
        Key key = new Key(requester, namespace, serviceAccount);
        long start = nanoTime.getAsLong();
        synchronized (cache) {
            Answer cached = cache.get(key);
            if (cached != null && cached.expiresAt() - start > 0) {
                return CompletableFuture.completedFuture(new Answered(cached.allowed(), true));
            }
        }
        // a dependent stage: the timeout must not complete the authorizer's own future under it
        return authorizer.mayUse(requester, namespace, serviceAccount).toCompletableFuture().thenApply(Objects::requireNonNull)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((allowed, error) -> listener.asked(nanoTime.getAsLong() - start, error == null))
                .thenApply(allowed -> {
                    if (ttlNanos > 0) {
                        synchronized (cache) {
                            cache.put(key, new Answer(allowed, nanoTime.getAsLong() + ttlNanos));
                        }
                    }
                    return new Answered(allowed, false);
                });
    }

    /** Where an object of {@code kind} keeps its pod spec: {@code spec} of a Pod, {@code <template>.spec} of a workload. */
    private static String field(String kind) {
        if ("Pod".equals(kind)) {
            return "spec";
        }
        String template = PodTemplates.templatePath(kind);
        if (template == null) {
            throw new InvalidObject(kind + " makes no pods, so it has no ServiceAccount to check; send only Pods and workloads here");
        }
        return template + ".spec";
    }

    private static String serviceAccount(String kind, ObjectNode object) {
        if ("Pod".equals(kind)) {
            return PodFields.serviceAccountName(object, "object");
        }
        String template = PodTemplates.templatePath(kind);
        ObjectNode pod = PodTemplates.template(kind, object);
        if (pod == null) {
            throw new InvalidObject("object." + template + " is missing or not an object; a " + kind + " needs a pod template there");
        }
        return PodFields.serviceAccountName(pod, "object." + template);
    }

    /** The old object's ServiceAccount; null when it had no readable one (then any new one is a change). */
    private static String oldServiceAccount(String kind, ObjectNode oldObject) {
        try {
            return serviceAccount(kind, oldObject);
        } catch (InvalidObject e) {
            return null;
        }
    }

    private static Decision refusal(String field, Requester requester, String namespace, String serviceAccount) {
        return new Refused("[" + RULE + "] " + field + ".serviceAccountName: " + describe(requester) + " may not use ServiceAccount " + namespace
                + "/" + serviceAccount + "; grant it with a Role in namespace " + namespace + " bound to them, with the rule"
                + " - {apiGroups: [\"\"], resources: [serviceaccounts], resourceNames: [" + serviceAccount + "], verbs: [use]}");
    }

    private String unanswered(Requester requester, String namespace, String serviceAccount, Throwable cause) {
        String why = cause instanceof TimeoutException ? "no answer within " + timeout.toMillis() + " ms" : "the API server could not be asked";
        return "idgate could not check whether " + describe(requester) + " may use ServiceAccount " + namespace + "/" + serviceAccount + " ("
                + why + "); refused, since guardrail " + RULE + " fails closed; retry";
    }

    /** {@code "alice" (groups dev, system:authenticated)}: a requester as refusals name them. */
    public static String describe(Requester requester) {
        return "\"" + requester.username() + "\"" + (requester.groups().isEmpty() ? "" : " (groups " + String.join(", ", requester.groups()) + ")");
    }
}
