package io.idgate.engine;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.idgate.guardrails.Operation;
import io.idgate.netpol.Connections;
import io.idgate.netpol.NetworkPolicyProblems;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.ReachDiff;
import io.idgate.reach.Reachability;
import io.idgate.reach.Views;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a NetworkPolicy CREATE, UPDATE or DELETE opens and closes between identities (design section
 * 8), as admission warnings. It never decides anything: the handler adds these lines to whatever the
 * guardrails answered.
 *
 * <p>A pair whose connections change both ways gets two lines: {@code opens} with the connections it
 * gains and {@code closes} with those it loses, so every line reads as one fact ("opens ... : TCP
 * 8080" is true after the change even if TCP 80 went away).
 *
 * <p>Budget: the computation (including a rebuild of a stale world) runs on {@code executor}; an
 * answer that is not ready within the budget is replaced by one warning saying so, and the
 * computation is also judged by its own clock, so a budget of zero always skips (tests force it that way).
 */
public final class ReachPreview {

    /** Lines of changes shown before the count. */
    public static final int MAX_LINES = 10;

    private final LiveReach live;
    private final Duration budget;
    private final Executor executor;
    private final LongSupplier nanoTime;

    public ReachPreview(LiveReach live, Duration budget, Executor executor) {
        this(live, budget, executor, System::nanoTime);
    }

    ReachPreview(LiveReach live, Duration budget, Executor executor, LongSupplier nanoTime) {
        this.live = live;
        this.budget = budget;
        this.executor = executor;
        this.nanoTime = nanoTime;
    }

    /** The preview lines of one admission; never fails (a failure is one warning line). */
    public CompletionStage<List<String>> warnings(Operation operation, NetworkPolicy newPolicy, NetworkPolicy oldPolicy, String namespace) {
        long start = nanoTime.getAsLong();
        CompletableFuture<List<String>> work;
        try {
            work = CompletableFuture.supplyAsync(() -> {
                List<String> lines = lines(operation, newPolicy, oldPolicy, namespace);
                return nanoTime.getAsLong() - start >= budget.toNanos() ? skipped() : lines;
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(skipped()); // every preview thread busy: as good as over budget
        }
        return work.completeOnTimeout(skipped(), budget.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionally(e -> List.of("reachability: preview failed (" + rootMessage(e) + "); idgate reach diff shows the change"));
    }

    private List<String> lines(Operation operation, NetworkPolicy newPolicy, NetworkPolicy oldPolicy, String namespace) {
        Reachability before = live.current();
        Reachability.PolicyChange change;
        if (operation == Operation.DELETE) {
            PolicyRules old = rules(oldPolicy, namespace);
            change = before.withoutPolicy(old.namespace(), old.name());
        } else {
            if (!NetworkPolicyProblems.of(newPolicy).isEmpty()) {
                return List.of(); // the API server refuses it anyway: nothing would change
            }
            change = before.withPolicy(rules(newPolicy, namespace));
        }
        return format(Views.identityDiff(before, change));
    }

    private static PolicyRules rules(NetworkPolicy policy, String namespace) {
        if (policy.getMetadata() != null && (policy.getMetadata().getNamespace() == null || policy.getMetadata().getNamespace().isEmpty())
                && namespace != null && !namespace.isEmpty()) {
            // the API server fills the namespace from the request after admission; the object may not carry it yet
            policy = new NetworkPolicyBuilder(policy).editMetadata().withNamespace(namespace).endMetadata().build();
        }
        return PolicyRules.of(policy);
    }

    /** The warning lines of an identity-level diff: at most {@link #MAX_LINES}, then a count of the rest. */
    static List<String> format(ReachDiff diff) {
        List<String> all = new ArrayList<>();
        for (ReachDiff.Change c : diff.changes()) {
            Connections before = c.before() == null ? Connections.NONE : c.before();
            Connections after = c.after() == null ? Connections.NONE : c.after();
            Connections opened = after.minus(before);
            Connections closed = before.minus(after);
            if (!opened.isEmpty()) {
                all.add("reachability: opens " + c.src() + " => " + c.dst() + " : " + opened);
            }
            if (!closed.isEmpty()) {
                all.add("reachability: closes " + c.src() + " => " + c.dst() + " : " + closed);
            }
        }
        if (all.size() <= MAX_LINES) {
            return all;
        }
        List<String> out = new ArrayList<>(all.subList(0, MAX_LINES));
        out.add("reachability: … and " + (all.size() - MAX_LINES) + " more (idgate reach diff shows all)");
        return out;
    }

    private List<String> skipped() {
        return List.of("reachability: preview skipped (took longer than " + text(budget)
                + "; idgate reach diff shows the change)");
    }

    private static String text(Duration d) {
        return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : d.toNanos() / 1000 + "µs";
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
