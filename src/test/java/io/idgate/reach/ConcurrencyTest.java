package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One state serves concurrent readers (the admission preview): lazily computed rows must not tear. */
class ConcurrencyTest {

    @Test
    void concurrentListsAndChangesOnOneStateAgreeWithASequentialRun() throws Exception {
        World w = ScaleWorlds.world(300, 120, 7, false);
        String expected = ReachText.list(Reachability.of(w, Worlds.KEYS).graph());
        var change = w.policies().get(w.policies().size() - 1);
        String expectedDiff = ReachText.diff(Reachability.of(w, Worlds.KEYS).withoutPolicy(change.namespace(), change.name()).diff());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                Reachability shared = Reachability.of(w, Worlds.KEYS); // rows not computed yet: the threads race to fill them
                List<Future<String>> lists = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    boolean diff = t % 2 == 1;
                    lists.add(pool.submit(() -> diff ? ReachText.diff(shared.withoutPolicy(change.namespace(), change.name()).diff())
                            : ReachText.list(shared.graph())));
                }
                for (int t = 0; t < 4; t++) {
                    assertEquals(t % 2 == 1 ? expectedDiff : expected, lists.get(t).get(), "round " + round + " thread " + t);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
