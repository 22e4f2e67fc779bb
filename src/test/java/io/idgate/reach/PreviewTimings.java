package io.idgate.reach;

import io.idgate.netpol.PolicyRules;
import io.idgate.testing.Heap;
import io.idgate.testing.Timings;
import java.util.ArrayList;
import java.util.List;

/**
 * Timings of the admission preview: {@code make bench} (docs/benchmarks.md, "At admission") or
 * {@code java -cp ... io.idgate.reach.PreviewTimings [workloads policies]}. On a world of 5,000
 * workloads and 500 policies ({@link ScaleWorlds}), it times what one NetworkPolicy review pays: the
 * incremental change ({@code withPolicy}/{@code withoutPolicy}) plus its identity diff, against a warm
 * live state (the server keeps one between reviews), for 500 changes (one round to warm up, one
 * measured); then the cost of a stale world (a full rebuild followed by one preview), and the heap the
 * live state holds with the rows those previews computed.
 *
 * @param all         every change
 * @param newBounds   the changes whose CIDR bounds cut the outside address space anew
 * @param stale       rebuild + one preview (a namespace changed: the live state is rebuilt)
 * @param afterPod    the live state follows one pod that joined ({@link Reachability#withPeers}, world assembly included) + one preview
 * @param liveHeapMiB heap held by the live state (world, classes, rules, rows)
 */
public record PreviewTimings(int workloads, int policies, Timings all, Timings newBounds, Timings stale, Timings afterPod, double liveHeapMiB) {

    public static void main(String[] args) {
        int workloads = args.length >= 2 ? Integer.parseInt(args[0]) : 5000;
        int policies = args.length >= 2 ? Integer.parseInt(args[1]) : 500;
        PreviewTimings t = measure(workloads, policies);
        System.out.printf("preview, %d workloads, %d policies: %s%n  of which new CIDR bounds: %s%nstale world: rebuild + one preview: %s%n"
                + "a pod joined: follow it + one preview: %s%nlive state: %.1f MiB of heap%n", workloads, policies, t.all(), t.newBounds(), t.stale(),
                t.afterPod(), t.liveHeapMiB());
    }

    public static PreviewTimings measure(int workloads, int policies) {
        long heapBefore = Heap.used();
        World w = ScaleWorlds.world(workloads, policies, 1);
        Reachability live = Reachability.of(w, Worlds.KEYS);
        // candidate changes: the policies of another world of the same shapes (new ones and same-name replacements), and deletions
        List<PolicyRules> other = ScaleWorlds.world(workloads, policies, 2).policies();
        List<Long> nanos = new ArrayList<>();
        List<Long> newCuts = new ArrayList<>();
        for (int round = 0; round < 2; round++) { // round 0 warms the JIT and the live state's rows
            nanos.clear();
            newCuts.clear();
            for (int i = 0; i < other.size(); i++) {
                long t0 = System.nanoTime();
                Reachability.PolicyChange change = i % 2 == 0 ? live.withPolicy(other.get(i))
                        : live.withoutPolicy(w.policies().get(i % w.policies().size()).namespace(), w.policies().get(i % w.policies().size()).name());
                Views.identityDiff(change);
                long took = System.nanoTime() - t0;
                nanos.add(took);
                if (!change.next().externals().equals(live.externals())) {
                    newCuts.add(took);
                }
            }
        }
        other = null;
        double liveHeap = (Heap.used() - heapBefore) / (1024.0 * 1024);
        long[] rebuild = new long[5];
        List<PolicyRules> more = ScaleWorlds.world(workloads, policies, 3).policies();
        for (int i = 0; i < rebuild.length; i++) {
            long t0 = System.nanoTime();
            Reachability fresh = Reachability.of(w.withPolicies(w.policies()), Worlds.KEYS);
            Views.identityDiff(fresh.withPolicy(more.get(policies - 1 - i)));
            rebuild[i] = System.nanoTime() - t0;
        }
        long[] afterPod = new long[300];
        for (int round = 0; round < 2; round++) {
            Reachability state = live;
            java.util.TreeMap<String, ReachPeer> peers = new java.util.TreeMap<>();
            w.peers().forEach(p -> peers.put(p.id(), p));
            for (int i = 0; i < afterPod.length; i++) {
                ReachPeer template = w.peers().get((i * 37) % w.peers().size());
                ReachPeer pod = new ReachPeer(template.namespace(), "joined-" + round + "-" + i, "Pod", template.labels(), template.serviceAccount(),
                        template.ports(), List.of(io.idgate.netpol.Cidr.parse("10.9." + (i / 250) + "." + (i % 250 + 1) + "/32")), false);
                long t0 = System.nanoTime();
                peers.put(pod.id(), pod);
                state = state.withPeers(WorldBuilder.assemble(state.world().namespaces(), peers, state.world().policies(), List.of(),
                        p -> java.util.Set.of()));
                Views.identityDiff(state.withPolicy(more.get(i % more.size())));
                afterPod[i] = System.nanoTime() - t0;
            }
        }
        live.classCount(); // keep the live state reachable until the heap was measured
        return new PreviewTimings(workloads, policies, Timings.of(nanos), Timings.of(newCuts), Timings.of(rebuild), Timings.of(afterPod), liveHeap);
    }
}
