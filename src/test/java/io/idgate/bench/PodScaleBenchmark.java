package io.idgate.bench;

import io.idgate.admission.PodMutationHandler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time per {@code /mutate/pods} review (decode, look up, derive, patch, encode; no HTTP) as the
 * ServiceAccounts in the cache grow (100 guardrail rules, 11 groups to test membership against) and
 * as the pod's own labels grow.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PodScaleBenchmark {

    @State(Scope.Benchmark)
    public static class ServiceAccounts {
        @Param({"100", "1000", "10000", "100000"})
        public int serviceAccounts;
        PodMutationHandler handler;
        byte[] review;

        @Setup
        public void setUp() {
            handler = ScaleFixtures.podMutationHandler(ScaleFixtures.serviceAccountLookup(serviceAccounts),
                    ScaleFixtures.guardrails(ScaleFixtures.guardrailDocument(100)));
            review = ScaleFixtures.podReview(serviceAccounts / 2, 3);
        }
    }

    @State(Scope.Benchmark)
    public static class Labels {
        @Param({"1", "10", "100"})
        public int labels;
        PodMutationHandler handler;
        byte[] review;

        @Setup
        public void setUp() {
            handler = ScaleFixtures.podMutationHandler(ScaleFixtures.serviceAccountLookup(100),
                    ScaleFixtures.guardrails(ScaleFixtures.guardrailDocument(100)));
            review = ScaleFixtures.podReview(42, labels);
        }
    }

    @Benchmark
    public byte[] serviceAccountsInCache(ServiceAccounts s) {
        return ScaleFixtures.review(s.handler, s.review);
    }

    @Benchmark
    public byte[] podLabels(Labels s) {
        return ScaleFixtures.review(s.handler, s.review);
    }
}
