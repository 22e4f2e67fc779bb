package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The outside address space cut at policies' bounds, all at once and one policy more at a time. */
class ExternalRangeTest {

    private static final long END = 1L << 32;

    /** The ranges between consecutive bounds (0 and 2^32 always among them). */
    private static List<ExternalRange> cutAt(Set<Long> bounds) {
        TreeSet<Long> all = new TreeSet<>(bounds);
        all.add(0L);
        all.add(END);
        List<ExternalRange> out = new ArrayList<>();
        Long prev = null;
        for (long b : all) {
            if (prev != null) {
                out.add(new ExternalRange(prev, b - 1));
            }
            prev = b;
        }
        return out;
    }

    @Test
    void cuttingFinerAtMoreBoundsEqualsCuttingAtAllOfThem() {
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            Set<Long> first = new TreeSet<>();
            Set<Long> more = new TreeSet<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                first.add(random.nextInt(4) == 0 ? END : (long) random.nextInt(64));
            }
            for (int i = random.nextInt(6); i > 0; i--) {
                more.add(random.nextInt(5) == 0 ? 0L : (long) random.nextInt(64)); // also bounds already cut at
            }
            Set<Long> both = new TreeSet<>(first);
            both.addAll(more);
            List<ExternalRange> coarse = cutAt(first);
            List<ExternalRange> finer = ExternalRange.cutFiner(coarse, more);
            assertEquals(cutAt(both), finer, first + " then " + more);
            for (ExternalRange r : finer) {
                if (coarse.contains(r)) {
                    assertSame(coarse.get(coarse.indexOf(r)), r, "a range no bound falls in is kept as it is");
                }
            }
        }
    }

    @Test
    void aRangeIsNamedByItsFirstAndLastAddress() {
        assertEquals("10.0.0.0-10.0.0.255[External]", new ExternalRange(0x0A000000L, 0x0A0000FFL).id());
        assertEquals(new ExternalRange(1, 2), new ExternalRange(1, 2));
        assertEquals(new ExternalRange(1, 2).hashCode(), new ExternalRange(1, 2).hashCode());
    }
}
