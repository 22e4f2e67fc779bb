package io.idgate.testing;

import java.util.Arrays;
import java.util.List;

/**
 * Nanosecond samples summed up as the timings programs and {@code make bench} report them: count, median,
 * 99th percentile (nearest rank) and maximum, in milliseconds.
 */
public record Timings(int count, double p50Ms, double p99Ms, double maxMs) {

    public static Timings of(long[] nanos) {
        if (nanos.length == 0) {
            return new Timings(0, 0, 0, 0);
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        return new Timings(s.length, at(s, 0.50), at(s, 0.99), s[s.length - 1] / 1e6);
    }

    public static Timings of(List<Long> nanos) {
        return of(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))] / 1e6;
    }

    @Override
    public String toString() {
        return String.format("%d, p50 %.2f ms, p99 %.2f ms, max %.2f ms", count, p50Ms, p99Ms, maxMs);
    }
}
