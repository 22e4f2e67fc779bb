package io.idgate.reach;

import io.idgate.netpol.PolicyRules;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Reachability timings (JMH): the delta of one NetworkPolicy change on a large world (what the admission
 * preview pays per review), and a full {@code list} of a mid-size world. Run with
 * {@code java -cp target/classes:target/test-classes:<deps> io.idgate.reach.ReachBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReachBenchmark {

    @State(Scope.Benchmark)
    public static class Change {
        @Param({"1000", "5000"})
        public int workloads;
        /** {@code workload}: a policy selecting one Deployment; {@code namespace}: a namespace's default-deny (100 Deployments at 5,000). */
        @Param({"workload", "namespace"})
        public String scope;
        Reachability base;
        PolicyRules changed;

        @Setup
        public void setUp() {
            World w = ScaleWorlds.world(workloads, 2000, 1);
            base = Reachability.of(w, Worlds.KEYS);
            base.forEachEdge(e -> { }); // every row computed, as in a webhook that has answered before
            String target = scope.equals("workload") ? w.policies().stream().filter(p -> p.name().startsWith("p")).findFirst().orElseThrow().id()
                    : "ns0/default-deny";
            PolicyRules p = w.policies().stream().filter(x -> x.id().equals(target)).findFirst().orElseThrow();
            World extra = Worlds.world(Worlds.policy(p.namespace(), p.name(),
                    "podSelector: " + p.podSelector().toFlow() + "\npolicyTypes: [Ingress, Egress]\ningress:\n- from: [{podSelector: {matchLabels: {tier: t1}}}]\n"
                            + "  ports: [{port: 9090}]\n"));
            changed = extra.policies().get(0);
        }
    }

    @Benchmark
    public Object policyChange(Change s) {
        return s.base.withPolicy(s.changed).diff();
    }

    @State(Scope.Benchmark)
    public static class ListState {
        @Param({"2000"})
        public int workloads;
        @Param({"500"})
        public int policies;
        World world;

        @Setup
        public void setUp() {
            world = ScaleWorlds.world(workloads, policies, 1);
        }
    }

    @Benchmark
    public long list(ListState s) {
        long[] n = {0};
        Reachability.of(s.world, Worlds.KEYS).forEachEdge(e -> n[0] += e.src().length() + e.conns().toString().length());
        return n[0];
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(ReachBenchmark.class.getName()).forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Xmx512m").build()).run();
    }
}
