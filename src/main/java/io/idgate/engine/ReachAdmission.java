package io.idgate.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.Invariant;
import io.idgate.guardrails.InvariantCheck;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.Violation;
import io.idgate.identity.IdentityConfig;
import io.idgate.netpol.Connections;
import io.idgate.netpol.NetworkPolicyProblems;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.ReachDiff;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.Reachability;
import io.idgate.reach.Views;
import io.idgate.reach.World;
import io.idgate.reach.WorldBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reachability at admission (design section 8), over the live world: what a NetworkPolicy CREATE,
 * UPDATE or DELETE opens and closes between identities (the preview, warnings only), and which
 * invariants a change breaks — a policy change, a pod created or relabelled, a namespace relabelled.
 *
 * <p>The preview never decides: the handler adds its lines to whatever the guardrails answered.
 * Invariant violations are {@link Violation}s judged like any rule's (deny refuses, warn warns, audit
 * annotates).
 *
 * <p>Budgets: each judgement runs on {@code executor} and is also judged by its own clock. The preview
 * alone gets {@code previewBudget}, after which its answer is one "skipped" line. With invariants in
 * force the judgement gets {@code invariantBudget}; one that cannot finish is answered for each
 * invariant by its action, so a deny invariant refuses (fail closed) and says why.
 */
public final class ReachAdmission {

    /** Lines of preview shown before the count. */
    public static final int MAX_LINES = 10;

    /**
     * @param preview    the preview's warning lines (empty with the preview off)
     * @param violations invariant violations
     */
    public record Outcome(List<String> preview, List<Violation> violations) {
        static final Outcome NONE = new Outcome(List.of(), List.of());
    }

    private final LiveReach live;
    private final Supplier<GuardrailSnapshot> snapshot;
    private final IdentityConfig identity;
    private final boolean preview;
    private final Duration previewBudget;
    private final Duration invariantBudget;
    private final Executor executor;
    private final LongSupplier nanoTime;

    /**
     * @param preview whether NetworkPolicy answers carry the preview ({@code idgate.reach.preview})
     */
    public ReachAdmission(LiveReach live, Supplier<GuardrailSnapshot> snapshot, IdentityConfig identity, boolean preview, Duration previewBudget,
            Duration invariantBudget, Executor executor) {
        this(live, snapshot, identity, preview, previewBudget, invariantBudget, executor, System::nanoTime);
    }

    ReachAdmission(LiveReach live, Supplier<GuardrailSnapshot> snapshot, IdentityConfig identity, boolean preview, Duration previewBudget,
            Duration invariantBudget, Executor executor, LongSupplier nanoTime) {
        this.live = live;
        this.snapshot = snapshot;
        this.identity = identity;
        this.preview = preview;
        this.previewBudget = previewBudget;
        this.invariantBudget = invariantBudget;
        this.executor = executor;
        this.nanoTime = nanoTime;
    }

    /** A NetworkPolicy CREATE, UPDATE or DELETE: the preview lines and the invariants it breaks. */
    public CompletionStage<Outcome> policy(Operation operation, NetworkPolicy newPolicy, NetworkPolicy oldPolicy, String namespace) {
        InvariantCheck invariants = invariants();
        if (!preview && invariants.isEmpty()) {
            return CompletableFuture.completedFuture(Outcome.NONE);
        }
        return budgeted(invariants, deadline -> {
            Reachability before = live.current();
            Reachability.PolicyChange change;
            String id;
            if (operation == Operation.DELETE) {
                PolicyRules old = rules(oldPolicy, namespace);
                id = old.id();
                change = before.withoutPolicy(old.namespace(), old.name());
            } else {
                if (!NetworkPolicyProblems.of(newPolicy).isEmpty()) {
                    return Outcome.NONE; // the API server refuses it anyway: nothing would change
                }
                PolicyRules rules = rules(newPolicy, namespace);
                id = rules.id();
                change = before.withPolicy(rules);
            }
            // one walk of the changed pairs feeds both; a walk past the budget stops (its answer is already given)
            Views.IdentityDelta delta = preview ? new Views.IdentityDelta(change) : null;
            InvariantCheck.Opening opening = invariants.opening(change.next(), InvariantCheck.Subject.policy(id));
            long[] walked = {0};
            change.forEachChange(c -> {
                if ((++walked[0] & 1023) == 0 && nanoTime.getAsLong() >= deadline) {
                    throw new OverBudget();
                }
                if (delta != null) {
                    delta.accept(c);
                }
                opening.accept(c);
            });
            return new Outcome(preview ? format(delta.diff()) : List.of(), opening.violations());
        });
    }

    /**
     * A pod CREATE, or an UPDATE of its labels ({@code oldPod} non-null): the invariants its labels would
     * break. The pod is judged as the peer it is part of (its controller's), with the labels it has after
     * every mutating webhook ran.
     */
    public CompletionStage<List<Violation>> pod(ObjectNode pod, ObjectNode oldPod, String namespace) {
        InvariantCheck invariants = invariants();
        if (invariants.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return budgeted(invariants, deadline -> {
            ReachPeer peer = peerOf(pod, namespace);
            ReachPeer before = oldPod == null ? null : peerOf(oldPod, namespace);
            return new Outcome(List.of(), invariants.forPeer(live.current(), peer, before, InvariantCheck.Subject.at("metadata.labels")));
        }).thenApply(Outcome::violations);
    }

    /** An UPDATE of a namespace's labels: the invariants the new labels would break (every namespaceSelector sees them). */
    public CompletionStage<List<Violation>> namespace(String name, Map<String, String> labels) {
        InvariantCheck invariants = invariants();
        if (invariants.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return budgeted(invariants, deadline -> {
            Reachability before = live.current();
            World w = before.world();
            SortedMap<String, SortedMap<String, String>> namespaces = new TreeMap<>(w.namespaces());
            SortedMap<String, String> relabelled = new TreeMap<>(labels);
            relabelled.put(WorldBuilder.NAMESPACE_NAME, name); // the API server keeps it, whatever the update says
            namespaces.put(name, relabelled);
            Reachability after = Reachability.of(new World(namespaces, w.peers(), w.policies(), w.groups(), w.warnings()), live.keys());
            return new Outcome(List.of(), invariants.relabelled(before, after, InvariantCheck.Subject.at("metadata.labels")));
        }).thenApply(Outcome::violations);
    }

    /** True once the live world has synced (until then, judgements that need it are refused by readiness). */
    public boolean synced() {
        return live.synced();
    }

    /** The check of the invariants in force, kept while they are (it remembers which peers they protect in the live world). */
    private InvariantCheck invariants() {
        List<Invariant> inForce = snapshot.get().invariants();
        Checked c = checked;
        if (c == null || c.invariants() != inForce) {
            c = new Checked(inForce, new InvariantCheck(inForce, identity));
            checked = c;
        }
        return c.check();
    }

    private record Checked(List<Invariant> invariants, InvariantCheck check) {}

    private volatile Checked checked;

    /** Thrown by work past its deadline: the answer has been given without it, so it stops rather than run on. */
    private static final class OverBudget extends RuntimeException {
        OverBudget() {
            super(null, null, false, false);
        }
    }

    /** @param work given its deadline ({@link #nanoTime}); it may throw {@link OverBudget} once past it */
    private CompletionStage<Outcome> budgeted(InvariantCheck invariants, LongFunction<Outcome> work) {
        Duration budget = invariants.isEmpty() ? previewBudget : max(previewBudget, invariantBudget);
        long start = nanoTime.getAsLong();
        long deadline = start + budget.toNanos();
        CompletableFuture<Outcome> running;
        try {
            running = CompletableFuture.supplyAsync(() -> {
                try {
                    Outcome o = work.apply(deadline);
                    return nanoTime.getAsLong() - start >= budget.toNanos() ? overBudget(invariants, budget) : o;
                } catch (OverBudget e) {
                    return overBudget(invariants, budget);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(overBudget(invariants, budget)); // every thread busy: as good as over budget
        }
        return running.completeOnTimeout(overBudget(invariants, budget), budget.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionally(e -> failed(invariants, rootMessage(e)));
    }

    private Outcome overBudget(InvariantCheck invariants, Duration budget) {
        String took = "took longer than " + text(budget);
        List<String> lines = preview ? List.of("reachability: preview skipped (" + took + "; idgate reach diff shows the change)") : List.of();
        return new Outcome(lines, unfinished(invariants, "could not be checked: the reachability of this change " + took,
                "retry when the cluster is quieter, or raise idgate.reach.invariant-budget"));
    }

    private Outcome failed(InvariantCheck invariants, String why) {
        List<String> lines = preview ? List.of("reachability: preview failed (" + why + "); idgate reach diff shows the change") : List.of();
        return new Outcome(lines, unfinished(invariants, "could not be checked: " + why, "see idgate's log; retry"));
    }

    /** One violation per invariant, by its action: a deny invariant that could not be checked refuses (fail closed). */
    private static List<Violation> unfinished(InvariantCheck invariants, String problem, String fix) {
        List<Violation> out = new ArrayList<>();
        for (Invariant inv : invariants.invariants()) {
            out.add(new Violation(inv.name(), inv.source().configMap(), inv.action(), "reachability", problem
                    + (inv.action() == io.idgate.guardrails.Action.DENY ? " (refused so that nothing breaking " + inv.name() + " slips through)" : ""),
                    fix, "invariant"));
        }
        return out;
    }

    private static ReachPeer peerOf(ObjectNode pod, String namespace) {
        ObjectNode copy = pod.deepCopy();
        ObjectNode meta = copy.with("metadata");
        if (meta.path("namespace").asText("").isEmpty()) {
            meta.put("namespace", namespace); // the API server fills it after admission
        }
        if (meta.path("name").asText("").isEmpty()) {
            meta.put("name", meta.path("generateName").asText("pod")); // generated after admission; owned pods are named by their owner anyway
        }
        copy.put("kind", "Pod");
        return new WorldBuilder().add("admission", copy).build().peers().get(0);
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

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
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
