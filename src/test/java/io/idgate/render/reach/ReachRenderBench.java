package io.idgate.render.reach;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * How long the drawn formats take on a large graph (200 peers, 2,000 edges): a benchmark main, not a
 * timed test, since a shared CI machine makes timings flaky. Run:
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.idgate.render.reach.ReachRenderBench [nodes edges rounds]
 * </pre>
 * Each format's first round runs on a cold JVM path (class loading, JIT), as one CLI run does; the
 * best round is the warmed-up cost. CPU time is printed beside wall time because the machine is shared.
 */
public final class ReachRenderBench {

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int edges = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        GraphModel graph = ReachSamples.scale(nodes, edges, 12, 7);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("load average at start: %.2f on %d cores%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        if (args.length > 3 && args[3].equals("--startup")) {
            // ELK's one-time start (class loading, option registry), apart from the layout of a large graph
            long start = System.nanoTime();
            ReachSvg.list(ReachSamples.small());
            System.out.printf("svg of a 6-peer graph in a fresh JVM (ELK start-up): %,d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
        // first: the cost in a fresh JVM (class loading, JIT), as one CLI run pays it; best: warmed up.
        for (ReachOutput format : ReachOutput.values()) {
            long first = 0;
            long firstCpu = 0;
            long best = Long.MAX_VALUE;
            long bestCpu = Long.MAX_VALUE;
            int size = 0;
            for (int i = 0; i < rounds; i++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                size = format.list(graph).length();
                long took = System.nanoTime() - start;
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                if (i == 0) {
                    first = took;
                    firstCpu = cpu;
                }
                best = Math.min(best, took);
                bestCpu = Math.min(bestCpu, cpu);
            }
            System.out.printf("%-5s %d nodes %d edges: first %,d ms (cpu %,d), best of %d %,d ms (cpu %,d), %,d chars%n",
                    format.id(), nodes, edges, first / 1_000_000, firstCpu / 1_000_000, rounds, best / 1_000_000,
                    bestCpu / 1_000_000, size);
        }
    }
}
