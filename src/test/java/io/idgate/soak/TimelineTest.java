package io.idgate.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.soak.Timeline.Outcome;
import org.junit.jupiter.api.Test;

/** The soak's judge must be able to disagree: stale and wrong answers are told from right ones by time. */
class TimelineTest {

    private static final long S = 1_000_000_000L;

    /** Version 0 answers "a"; version 1 ("b", degraded "b-slow") issued at 10 s, returned at 11 s; version 2 ("c") issued at 20 s, returned at 20.5 s; window 2 s. */
    private static Timeline timeline() {
        Timeline t = new Timeline(2 * S);
        t.commit(t.begin("v0", Long.MIN_VALUE), Long.MIN_VALUE, new String[][] {{"a"}});
        t.commit(t.begin("v1", 10 * S), 11 * S, new String[][] {{"b", "b-slow"}});
        t.commit(t.begin("v2", 20 * S), 20 * S + S / 2, new String[][] {{"c"}});
        return t;
    }

    @Test
    void theVersionInForceIsCurrent() {
        assertEquals(Outcome.CURRENT, timeline().judge(0, 5 * S, 6 * S, "a").outcome());
        assertEquals(Outcome.CURRENT, timeline().judge(0, 15 * S, 15 * S + 1, "b").outcome());
    }

    @Test
    void aNewVersionMayAnswerAsSoonAsItsWriteIsIssued() {
        assertEquals(Outcome.CURRENT, timeline().judge(0, 9 * S, 10 * S + 1, "b").outcome());
    }

    @Test
    void theOldVersionIsAcceptedUntilTheWindowAfterItsSuccessorReturned() {
        var j = timeline().judge(0, 12 * S, 12 * S + 1, "a");
        assertEquals(Outcome.LAGGING, j.outcome());
        assertEquals(S, j.lagNanos());
        assertEquals(Outcome.LAGGING, timeline().judge(0, 13 * S, 13 * S + 1, "a").outcome());
    }

    @Test
    void theOldVersionAfterTheWindowIsStale() {
        assertEquals(Outcome.STALE, timeline().judge(0, 13 * S + 1, 13 * S + 2, "a").outcome());
        assertEquals(Outcome.STALE, timeline().judge(0, 30 * S, 30 * S + 1, "a").outcome());
    }

    @Test
    void aDegradedAnswerOfTheVersionInForceIsCurrentButMarked() {
        var j = timeline().judge(0, 15 * S, 15 * S + 1, "b-slow");
        assertEquals(Outcome.CURRENT, j.outcome());
        assertTrue(j.degraded());
        assertFalse(timeline().judge(0, 15 * S, 15 * S + 1, "b").degraded());
    }

    @Test
    void aVersionBegunAfterTheJudgeFoundAnAnswerSettledIsDatedAfterItAndNotRead() {
        Timeline t = new Timeline(2 * S);
        t.commit(t.begin("v0", Long.MIN_VALUE), Long.MIN_VALUE, new String[][] {{"a"}});
        long answered = System.nanoTime();
        assertTrue(t.settledUpTo(answered));
        Timeline.Version unsettled = t.begin("v3, expectations not computed yet");
        assertTrue(unsettled.issuedNanos > answered);
        assertEquals(Outcome.CURRENT, t.judge(0, answered - 1, answered, "a").outcome());
        assertFalse(t.settledUpTo(System.nanoTime()));
    }

    @Test
    void anAnswerOfNoVersionIsWrong() {
        assertEquals(Outcome.WRONG, timeline().judge(0, 15 * S, 15 * S + 1, "a+b").outcome());
    }

    @Test
    void aVersionNotYetIssuedWhenTheAnswerCameIsWrong() {
        assertEquals(Outcome.WRONG, timeline().judge(0, 15 * S, 16 * S, "c").outcome());
    }
}
