package io.idgate.render.reach;

/**
 * How long the drawn formats take on a large graph (200 peers, 2,000 edges): a benchmark main, not a
 * timed test, since a shared CI machine makes timings flaky. Run:
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.idgate.render.reach.ReachRenderBench}
 * or with {@code java -cp} over the test class path.
 */
public final class ReachRenderBench {

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int edges = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ReachGraph graph = ReachSamples.scale(nodes, edges, 12, 7);
        for (ReachOutput format : ReachOutput.values()) {
            long first = 0;
            long best = Long.MAX_VALUE;
            int size = 0;
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                size = format.list(graph).length();
                long took = System.nanoTime() - start;
                if (i == 0) {
                    first = took;
                }
                best = Math.min(best, took);
            }
            System.out.printf("%-5s %d nodes %d edges: first %d ms, best of %d %d ms, %,d chars%n", format.name().toLowerCase(),
                    nodes, edges, first / 1_000_000, rounds, best / 1_000_000, size);
        }
    }
}
