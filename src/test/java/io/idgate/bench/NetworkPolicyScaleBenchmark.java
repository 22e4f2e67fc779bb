package io.idgate.bench;

import io.idgate.admission.NetworkPolicyHandler;
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
 * Time per {@code /validate/networkpolicies} review (decode, evaluate, encode; no HTTP) as the
 * guardrail rules grow, and as a namespace's NetworkPolicies grow under a {@code defaultDeny} rule.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NetworkPolicyScaleBenchmark {

    @State(Scope.Benchmark)
    public static class Rules {
        @Param({"1", "10", "100", "1000"})
        public int rules;
        NetworkPolicyHandler handler;
        byte[] review;

        @Setup
        public void setUp() {
            handler = ScaleFixtures.networkPolicyHandler(ScaleFixtures.guardrails(ScaleFixtures.guardrailDocument(rules)), 1);
            review = ScaleFixtures.networkPolicyReview();
        }
    }

    @State(Scope.Benchmark)
    public static class Policies {
        @Param({"1", "10", "100", "1000"})
        public int policies;
        NetworkPolicyHandler handler;
        byte[] review;

        @Setup
        public void setUp() {
            handler = ScaleFixtures.networkPolicyHandler(ScaleFixtures.guardrails(ScaleFixtures.defaultDenyDocument()), policies);
            review = ScaleFixtures.networkPolicyReview();
        }
    }

    @Benchmark
    public byte[] guardrailRules(Rules s) {
        return ScaleFixtures.review(s.handler, s.review);
    }

    @Benchmark
    public byte[] defaultDenyPolicies(Policies s) {
        return ScaleFixtures.review(s.handler, s.review);
    }
}
