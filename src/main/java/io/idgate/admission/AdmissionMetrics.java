package io.idgate.admission;

import io.idgate.engine.ServiceAccountUseCheck;
import io.idgate.guardrails.Violation;
import io.idgate.k8s.ServiceAccountLookup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The meters of docs/reference.md, "Metrics". Meters are created once and cached: no registry lookup per request. */
public final class AdmissionMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> violations = new ConcurrentHashMap<>();
    private final Map<String, Counter> tokens = new ConcurrentHashMap<>();
    private final Map<String, Counter> budgetWaits = new ConcurrentHashMap<>();
    private final Map<ServiceAccountLookup.Source, Counter> lookups = new EnumMap<>(ServiceAccountLookup.Source.class);
    private final Map<String, Counter> serviceAccountUseChecks = new ConcurrentHashMap<>();
    private final Map<Boolean, Timer> subjectAccessReviews = new ConcurrentHashMap<>();

    public AdmissionMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (var source : ServiceAccountLookup.Source.values()) {
            lookups.put(source, Counter.builder("idgate.serviceaccount.lookups")
                    .description("ServiceAccount lookups by where the answer came from")
                    .tag("source", source.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    /** Creates the timer of each webhook up front: building a histogram costs milliseconds on a first request. */
    public void register(String... webhooks) {
        for (String webhook : webhooks) {
            timer(webhook);
        }
    }

    /** Counts one identity-token check by its result (verified, expired, wrong-subject, ...). */
    public void identityToken(String result) {
        tokens.computeIfAbsent(result, r -> Counter.builder("idgate.identity.tokens")
                        .description("Identity tokens on ServiceAccounts checked at pod creation, by result")
                        .tag("result", r)
                        .register(registry))
                .increment();
    }

    /** Counts one guardrail violation, whatever its action. */
    public void violation(Violation violation) {
        violations.computeIfAbsent(violation.rule() + '|' + violation.action(), k -> Counter.builder("idgate.guardrail.violations")
                        .description("Guardrail violations found in admission reviews, by rule and action")
                        .tags("rule", violation.rule(), "action", violation.action().wire())
                        .register(registry))
                .increment();
    }

    /**
     * The meters of guardrail serviceAccountUse: {@code idgate_service_account_use_checks_total{result, cached}}
     * and the time of each SubjectAccessReview, {@code idgate_service_account_use_review_duration_seconds{outcome}}.
     */
    public ServiceAccountUseCheck.Listener serviceAccountUse() {
        // both timers up front, as the webhooks' (a histogram costs milliseconds to build on a first request)
        reviewTimer(true);
        reviewTimer(false);
        return new ServiceAccountUseCheck.Listener() {
            @Override
            public void checked(ServiceAccountUseCheck.Result result, boolean cached) {
                String name = result.name().toLowerCase(Locale.ROOT);
                serviceAccountUseChecks.computeIfAbsent(name + '|' + cached, k -> Counter.builder("idgate.service.account.use.checks")
                                .description("ServiceAccount-use checks (guardrail serviceAccountUse), by result and whether the answer was cached")
                                .tags("result", name, "cached", String.valueOf(cached))
                                .register(registry))
                        .increment();
            }

            @Override
            public void asked(long nanos, boolean answered) {
                reviewTimer(answered).record(Duration.ofNanos(nanos));
            }
        };
    }

    private Timer reviewTimer(boolean answered) {
        return subjectAccessReviews.computeIfAbsent(answered, a -> Timer.builder("idgate.service.account.use.review.duration")
                .description("Time of each SubjectAccessReview asked for guardrail serviceAccountUse (cache misses only)")
                .tag("outcome", a ? "answered" : "unanswered")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry));
    }

    /**
     * Counts a review that found the memory budget full: {@code queued} when it had to wait,
     * {@code refused} when it was answered 429 after waiting.
     */
    public void memoryBudget(String webhook, String outcome) {
        budgetWaits.computeIfAbsent(webhook + '|' + outcome, k -> Counter.builder("idgate.admission.memory.waits")
                        .description("Admission reviews that found the memory budget full, by webhook and outcome (queued, refused)")
                        .tags("webhook", webhook, "outcome", outcome)
                        .register(registry))
                .increment();
    }

    public void serviceAccountLookup(ServiceAccountLookup.Source source) {
        lookups.get(source).increment();
    }

    public void request(String webhook, String operation, String decision, long nanos) {
        requests.computeIfAbsent(webhook + '|' + operation + '|' + decision, k -> Counter.builder("idgate.admission.requests")
                        .description("Admission reviews answered, by webhook, operation and decision")
                        .tags("webhook", webhook, "operation", operation, "decision", decision)
                        .register(registry))
                .increment();
        timer(webhook).record(Duration.ofNanos(nanos));
    }

    private Timer timer(String webhook) {
        return durations.computeIfAbsent(webhook, k -> Timer.builder("idgate.admission.duration")
                        .description("Time from the decoded review to the answer")
                        .tag("webhook", webhook)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(50_000))
                        .maximumExpectedValue(Duration.ofSeconds(5))
                        .register(registry));
    }
}
