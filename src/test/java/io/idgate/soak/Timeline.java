package io.idgate.soak;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The versions of the world (guardrail ConfigMaps, ServiceAccounts) the soak has written, each with
 * the oracle's expected answer to every review template, and the judge of an observed answer.
 *
 * <p>A version may be in force from the moment its write is issued (the watch can deliver it before
 * the write returns to the writer) until its successor's write has returned plus the propagation
 * window. An answer is judged against every version that may have been in force while its review was
 * in flight: matching one of them is correct; matching only an older version is <em>stale</em> (idgate
 * applied a change later than the window allows, or never); matching none is <em>wrong</em> (a
 * half-applied snapshot, a broken ConfigMap taken into force, or any other disagreement with the
 * engine).
 *
 * <p>One writer thread appends versions; any thread may judge.
 */
final class Timeline {

    /** How an answer compares with the versions that could have been in force. */
    enum Outcome {
        /** matches the newest version that could have been in force */
        CURRENT,
        /** matches only an older version, but within the propagation window of its successor */
        LAGGING,
        /** matches only a version whose successor was committed longer than the window before the review was sent */
        STALE,
        /** matches no version at all */
        WRONG
    }

    /**
     * The judgement of one answer. {@code lagNanos} is, for LAGGING and STALE, how long after the
     * successor's commit the review was sent; {@code degraded} says the answer matched the version's
     * degraded answer (a cache-miss GET cut off at its timeout) rather than its normal one.
     */
    record Judgement(Outcome outcome, Version matched, long lagNanos, boolean degraded) {}

    /**
     * One state of the world, and what the oracle expects each template to be answered in it: the
     * normal answer first, then the degraded one when it differs.
     */
    static final class Version {
        final int index;
        final String label;
        final long issuedNanos;
        private volatile long committedNanos = Long.MAX_VALUE;
        private volatile String[][] expected;

        private Version(int index, String label, long issuedNanos) {
            this.index = index;
            this.label = label;
            this.issuedNanos = issuedNanos;
        }

        boolean settled() {
            return expected != null;
        }

        long committedNanos() {
            return committedNanos;
        }

        /** The normal answer to {@code template} in this version. */
        String expected(int template) {
            return expected[template][0];
        }

        /** -1: no match; 0: the normal answer; 1 and up: a degraded one. */
        private int match(int template, String decision) {
            String[] answers = expected[template];
            for (int i = 0; i < answers.length; i++) {
                if (answers[i].equals(decision)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final List<Version> versions = new CopyOnWriteArrayList<>();
    private final long windowNanos;

    Timeline(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /**
     * Registers a version whose write is about to be issued now. The clock is read under the lock
     * {@link #settledUpTo} takes: a judge that found every version up to an answer settled cannot
     * afterwards meet a version issued before that answer (a clock read outside the lock could date
     * a version before an answer already judged settled, and the judge would read its unset
     * expectations).
     */
    synchronized Version begin(String label) {
        return begin(label, System.nanoTime());
    }

    /** Registers a version whose write is issued at {@code issuedNanos} (the initial world, tests). */
    synchronized Version begin(String label, long issuedNanos) {
        Version v = new Version(versions.size(), label, issuedNanos);
        if (!versions.isEmpty() && !versions.get(versions.size() - 1).settled()) {
            throw new IllegalStateException("version " + (v.index - 1) + " is still being written");
        }
        versions.add(v);
        return v;
    }

    /** The write of {@code v} returned at {@code committedNanos}; {@code expected} holds the oracle's answers per template, the normal one first. */
    void commit(Version v, long committedNanos, String[][] expected) {
        v.committedNanos = committedNanos;
        v.expected = expected.clone();
    }

    List<Version> versions() {
        return List.copyOf(versions);
    }

    /** True when every version that could matter for an answer received at {@code answeredNanos} is settled. */
    synchronized boolean settledUpTo(long answeredNanos) {
        for (int i = versions.size() - 1; i >= 0; i--) {
            Version v = versions.get(i);
            if (v.issuedNanos <= answeredNanos) {
                return v.settled(); // versions settle in order: the newest relevant one decides
            }
        }
        return true;
    }

    /**
     * Judges {@code decision}, the answer to {@code template} sent at {@code sentNanos} and received at
     * {@code answeredNanos}. Call only once {@link #settledUpTo(long) settled up to} the answer.
     */
    Judgement judge(int template, long sentNanos, long answeredNanos, String decision) {
        List<Version> all = versions;
        int newest = all.size() - 1;
        while (newest > 0 && all.get(newest).issuedNanos > answeredNanos) {
            newest--; // issued after the answer: cannot have shaped it
        }
        int oldest = newest;
        while (oldest > 0 && sentNanos - windowNanos <= all.get(oldest).committedNanos) {
            oldest--; // its predecessor may still have been in force when the review arrived
        }
        for (int k = newest; k >= oldest; k--) {
            int m = all.get(k).match(template, decision);
            if (m >= 0) {
                return k == newest ? new Judgement(Outcome.CURRENT, all.get(k), 0, m > 0)
                        : new Judgement(Outcome.LAGGING, all.get(k), sentNanos - all.get(k + 1).committedNanos, m > 0);
            }
        }
        for (int k = oldest - 1; k >= 0; k--) {
            int m = all.get(k).match(template, decision);
            if (m >= 0) {
                return new Judgement(Outcome.STALE, all.get(k), sentNanos - all.get(k + 1).committedNanos, m > 0);
            }
        }
        return new Judgement(Outcome.WRONG, null, 0, false);
    }
}
