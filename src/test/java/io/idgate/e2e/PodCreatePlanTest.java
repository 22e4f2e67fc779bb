package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.e2e.PodCreatePlan.Added;
import io.idgate.e2e.PodCreatePlan.Latency;
import io.idgate.e2e.PodCreatePlan.Mode;
import io.idgate.e2e.PodCreatePlan.Ratio;
import io.idgate.e2e.PodCreatePlan.Run;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pod-create bench's plan and arithmetic (no API server: the bench itself is run by make bench). */
class PodCreatePlanTest {

    private static final long MS = 1_000_000;

    @Test
    void everyModeRunsInEveryPositionOnceOverThreeRounds() {
        List<Run> runs = PodCreatePlan.schedule(new int[] {1, 10}, 3);

        assertEquals(2 * 3 * 3, runs.size());
        for (int clients : new int[] {1, 10}) {
            List<Run> mine = runs.stream().filter(r -> r.clients() == clients).toList();
            assertEquals(List.of(Mode.NONE, Mode.ECHO, Mode.IDGATE, Mode.ECHO, Mode.IDGATE, Mode.NONE, Mode.IDGATE, Mode.NONE, Mode.ECHO),
                    mine.stream().map(Run::mode).toList());
            assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2, 2), mine.stream().map(Run::round).toList());
        }
        // a client count's runs are back to back: the modes compared were measured close in time
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1), runs.subList(0, 9).stream().map(Run::clients).toList());
    }

    @Test
    void podNamesAreUniqueOverTheBenchAndValidObjectNames() {
        List<Run> runs = new java.util.ArrayList<>(PodCreatePlan.schedule(new int[] {1, 10, 100}, 3));
        runs.add(new Run(10, -1, Mode.IDGATE)); // the warm-up's
        Set<String> names = new HashSet<>();
        int count = 0;
        for (Run run : runs) {
            // client 1's 11th pod and client 11's first would meet if the parts ran together
            for (int client : new int[] {0, 1, 11}) {
                for (int seq : new int[] {0, 1, 11}) {
                    String name = run.podName(client, seq);
                    count++;
                    names.add(name);
                    assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && name.length() <= 63, name);
                }
            }
        }
        assertEquals(count, names.size());
    }

    @Test
    void aCreateCountsForAModeOnlyWhenItReachedThatServerAloneOnEveryPath() {
        Set<String> paths = Set.of("/mutate/pods", "/validate/pods", "/validate/workloads");

        assertTrue(PodCreatePlan.answeredOnlyBy(Mode.ECHO, paths, paths, Set.of()));
        assertTrue(PodCreatePlan.answeredOnlyBy(Mode.IDGATE, paths, Set.of(), paths));
        assertTrue(PodCreatePlan.answeredOnlyBy(Mode.NONE, paths, Set.of(), Set.of()));
        // the mutating configuration switched, the validating one not yet
        assertFalse(PodCreatePlan.answeredOnlyBy(Mode.ECHO, paths, Set.of("/mutate/pods"), Set.of("/validate/pods", "/validate/workloads")));
        assertFalse(PodCreatePlan.answeredOnlyBy(Mode.ECHO, paths, Set.of("/mutate/pods"), Set.of()));
        assertFalse(PodCreatePlan.answeredOnlyBy(Mode.IDGATE, paths, Set.of("/validate/pods"), paths));
        assertFalse(PodCreatePlan.answeredOnlyBy(Mode.NONE, paths, Set.of(), Set.of("/validate/pods")));
    }

    @Test
    void latencyIsTheMeanAndNearestRankPercentilesInMilliseconds() {
        long[] nanos = IntStream.rangeClosed(1, 100).mapToLong(i -> i * MS).toArray();
        nanos[99] = 1_000 * MS; // one slow create: in the mean and the max, not the median

        Latency l = Latency.of(List.of(java.util.Arrays.copyOfRange(nanos, 0, 50), java.util.Arrays.copyOfRange(nanos, 50, 100)), 3);

        assertEquals(100, l.creates());
        assertEquals(3, l.errors());
        assertEquals((5050 - 100 + 1000) / 100.0, l.meanMs(), 1e-9);
        assertEquals(50, l.p50Ms(), 1e-9);
        assertEquals(99, l.p99Ms(), 1e-9);
        assertEquals(1000, l.maxMs(), 1e-9);
        assertTrue(Double.isNaN(Latency.of(new long[0], 7).meanMs()));
    }

    @Test
    void theRatioIsIdgatesAddedLatencyOverTheEchosPerStatistic() {
        Latency none = new Latency(100, 0, 3.0, 2.0, 10.0, 20.0);
        Latency echo = new Latency(100, 0, 7.0, 6.0, 18.0, 30.0);
        Latency idgate = new Latency(100, 0, 8.0, 7.0, 34.0, 60.0);

        Added echoAdds = Added.over(echo, none);
        Added idgateAdds = Added.over(idgate, none);
        Ratio ratio = Ratio.of(idgateAdds, echoAdds);

        assertEquals(new Added(4.0, 4.0, 8.0), echoAdds);
        assertEquals(new Added(5.0, 5.0, 24.0), idgateAdds);
        assertEquals(new Ratio(1.25, 1.25, 3.0), ratio);
    }

    @Test
    void noRatioOverAnEchoThatAddedNothingMeasurable() {
        Added idgate = new Added(5.0, 5.0, 5.0);

        Ratio ratio = Ratio.of(idgate, new Added(0.0, -0.2, Double.NaN));

        assertTrue(Double.isNaN(ratio.mean()));
        assertTrue(Double.isNaN(ratio.p50()));
        assertTrue(Double.isNaN(ratio.p99()));
    }
}
