package io.idgate.e2e;

import io.idgate.testing.Timings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The pure part of {@link PodCreateBench}: the order of its runs, the names of its pods, how it tells
 * which server the API server calls, and the figures it reports.
 */
final class PodCreatePlan {

    private PodCreatePlan() {}

    /** Who answers the webhook configurations: nobody (deleted), the echo webhook, or idgate. */
    enum Mode {
        NONE, ECHO, IDGATE;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One measured run: {@code clients} creating pods back to back with {@code mode} registered. */
    record Run(int clients, int round, Mode mode) {

        /**
         * Explicit and unique over the whole bench: generated names (5 random characters) collide after
         * thousands of pods, and the API server answers such a collision with a 500.
         */
        String podName(int client, int seq) {
            return "b-" + mode.key() + "-" + clients + "-" + round + "-" + client + "-" + seq;
        }
    }

    /**
     * For each client count, {@code rounds} rounds of every mode, the order rotated by one each round:
     * over three rounds each mode runs first, second and third once, so a drift of the machine's load
     * (or of the API server's state) during a client count hits the three alike.
     */
    static List<Run> schedule(int[] clientCounts, int rounds) {
        Mode[] modes = Mode.values();
        List<Run> runs = new ArrayList<>();
        for (int clients : clientCounts) {
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < modes.length; i++) {
                    runs.add(new Run(clients, round, modes[(round + i) % modes.length]));
                }
            }
        }
        return runs;
    }

    /**
     * Whether one pod create reached only {@code mode}'s server, on every path idgate is called on
     * ({@code paths}; none for {@link Mode#NONE}). The API server picks up webhook configuration
     * changes asynchronously and the mutating and the validating configurations apart: a create that
     * went half to the old server does not count.
     */
    static boolean answeredOnlyBy(Mode mode, Set<String> paths, Set<String> echoCalled, Set<String> idgateCalled) {
        return switch (mode) {
            case NONE -> echoCalled.isEmpty() && idgateCalled.isEmpty();
            case ECHO -> idgateCalled.isEmpty() && echoCalled.containsAll(paths);
            case IDGATE -> echoCalled.isEmpty() && idgateCalled.containsAll(paths);
        };
    }

    /** Pod-create latencies of one mode: NaN throughout when no create succeeded. */
    record Latency(int creates, int errors, double meanMs, double p50Ms, double p99Ms, double maxMs) {

        static Latency of(long[] nanos, int errors) {
            if (nanos.length == 0) {
                return new Latency(0, errors, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            Timings t = Timings.of(nanos);
            return new Latency(t.count(), errors, Arrays.stream(nanos).average().orElseThrow() / 1e6, t.p50Ms(), t.p99Ms(), t.maxMs());
        }

        static Latency of(List<long[]> runs, int errors) {
            return of(runs.stream().flatMapToLong(Arrays::stream).toArray(), errors);
        }
    }

    /** What a webhook adds to a pod create: its mode's latency less that without webhooks, per statistic. */
    record Added(double meanMs, double p50Ms, double p99Ms) {

        static Added over(Latency mode, Latency none) {
            return new Added(mode.meanMs() - none.meanMs(), mode.p50Ms() - none.p50Ms(), mode.p99Ms() - none.p99Ms());
        }
    }

    /**
     * idgate's added latency as a multiple of the echo webhook's, per statistic; NaN where the echo
     * added nothing measurable (a ratio over noise around zero says nothing).
     */
    record Ratio(double mean, double p50, double p99) {

        static Ratio of(Added idgate, Added echo) {
            return new Ratio(ratio(idgate.meanMs(), echo.meanMs()), ratio(idgate.p50Ms(), echo.p50Ms()), ratio(idgate.p99Ms(), echo.p99Ms()));
        }

        private static double ratio(double idgate, double echo) {
            return echo > 0 ? idgate / echo : Double.NaN;
        }
    }
}
