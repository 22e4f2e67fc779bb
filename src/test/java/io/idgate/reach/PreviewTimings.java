package io.idgate.reach;

import io.idgate.netpol.PolicyRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Timings of the admission preview (not a test): {@code java -cp ... io.idgate.reach.PreviewTimings [workloads policies]}.
 * On a world of 5,000 workloads and 500 policies ({@link ScaleWorlds}), it times what one NetworkPolicy
 * review pays: the incremental change ({@code withPolicy}/{@code withoutPolicy}) plus its identity
 * diff, against a warm live state (the server keeps one between reviews), for 500 changes; then the
 * cost of a stale world (a full rebuild followed by one preview).
 */
public final class PreviewTimings {

    public static void main(String[] args) {
        int workloads = args.length >= 2 ? Integer.parseInt(args[0]) : 5000;
        int policies = args.length >= 2 ? Integer.parseInt(args[1]) : 500;
        World w = ScaleWorlds.world(workloads, policies, 1);
        Reachability live = Reachability.of(w, Worlds.KEYS);
        // candidate changes: the policies of another world of the same shapes (new ones and same-name replacements), and deletions
        List<PolicyRules> other = ScaleWorlds.world(workloads, policies, 2).policies();
        for (int round = 0; round < 2; round++) { // round 0 warms the JIT and the live state's rows
            List<Long> nanos = new ArrayList<>();
            List<Long> sameCuts = new ArrayList<>();
            List<Long> newCuts = new ArrayList<>();
            long lines = 0;
            for (int i = 0; i < other.size(); i++) {
                long t0 = System.nanoTime();
                Reachability.PolicyChange change = i % 2 == 0 ? live.withPolicy(other.get(i))
                        : live.withoutPolicy(w.policies().get(i % w.policies().size()).namespace(), w.policies().get(i % w.policies().size()).name());
                lines += Views.identityDiff(change).changes().size();
                long took = System.nanoTime() - t0;
                nanos.add(took);
                // a change that adds or drops a CIDR bound renames the external ranges: the engine recomputes everything
                (change.next().externals().equals(live.externals()) ? sameCuts : newCuts).add(took);
            }
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("preview, %d workloads, %d policies (round %d): %d changes, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d identity pairs changed%n",
                    workloads, policies, round, sorted.length, at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6, lines);
            for (var part : List.of(sameCuts, newCuts)) {
                long[] p = part.stream().mapToLong(Long::longValue).sorted().toArray();
                if (p.length > 0) {
                    System.out.printf("  %s: %d changes, p50 %.2f ms, p99 %.2f ms%n", part == sameCuts ? "external cuts unchanged (incremental)"
                            : "new CIDR bounds (full recomputation)", p.length, at(p, 0.50), at(p, 0.99));
                }
            }
        }
        long[] rebuild = new long[5];
        for (int i = 0; i < rebuild.length; i++) {
            long t0 = System.nanoTime();
            Reachability fresh = Reachability.of(w.withPolicies(w.policies()), Worlds.KEYS);
            Views.identityDiff(fresh.withPolicy(other.get(i)));
            rebuild[i] = System.nanoTime() - t0;
        }
        Arrays.sort(rebuild);
        System.out.printf("stale world: rebuild + one preview, median %.1f ms (of %d)%n", rebuild[rebuild.length / 2] / 1e6, rebuild.length);
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
