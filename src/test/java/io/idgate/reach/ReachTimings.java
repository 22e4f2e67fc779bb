package io.idgate.reach;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Plain timings (not a test): {@code java -cp ... io.idgate.reach.ReachTimings}. Prints build, list
 * (all edges streamed through the txt formatter into a null stream) and heap for a few sizes.
 */
public final class ReachTimings {

    public static void main(String[] args) {
        int[][] sizes = args.length >= 2 ? new int[][] {{Integer.parseInt(args[0]), Integer.parseInt(args[1])}}
                : new int[][] {{100, 10}, {2000, 500}, {5000, 2000}};
        boolean deny = args.length < 3 || !args[2].equals("open");
        for (int[] s : sizes) {
            for (int round = 0; round < 2; round++) { // the second round is warm
                long t0 = System.nanoTime();
                World w = ScaleWorlds.world(s[0], s[1], 1, deny);
                long t1 = System.nanoTime();
                Reachability r = Reachability.of(w, Worlds.KEYS);
                long t2 = System.nanoTime();
                long[] count = {0};
                PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
                r.forEachEdge(e -> {
                    count[0]++;
                    sink.println(e.src() + " => " + e.dst() + " : " + e.conns());
                });
                long t3 = System.nanoTime();
                Runtime rt = Runtime.getRuntime();
                System.gc();
                System.out.printf("%d workloads, %d policies%s (round %d): parse+build %d ms, engine %d ms, list %d ms (%d edges, %d classes, %d externals), heap used %d MiB%n",
                        s[0], s[1], deny ? "" : " (no default-deny)", round, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, count[0], r.classCount(),
                        r.externals().size(), (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
        }
    }
}
