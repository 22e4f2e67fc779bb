package io.idgate.admission;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Bounds the heap that admission reviews in flight may take, so that a flood of the largest reviews
 * the API server can send (an UPDATE carries object and oldObject, up to etcd's 1.5 MiB each) meets a
 * queue instead of an OutOfMemoryError: before, 48 concurrent 2.7 MiB pod UPDATEs ended the process
 * at the then shipped {@code -Xmx192m} within 2 s, and with {@code failurePolicy: Fail} every pod create
 * then failed until it restarted.
 *
 * <p>A review is charged before its body is read: {@link #COST_PER_BODY_BYTE} times its declared
 * length (a body without Content-Length as the largest accepted), and holds the charge until its
 * answer is written. Why that factor: the body, then the JSON tree built from it, measured at 3.8
 * times the text for a pod with a large annotation and 12,000 environment variables, 12 times for a
 * pod of 130,000 labels, and up to 30 times for arrays of empty objects, which no API server sends.
 * A charge larger than the whole budget is cut to the budget: such a review runs alone.
 *
 * <p>A review that does not fit waits, unread (its connection paused, so TCP or HTTP/2 flow control
 * holds the rest of the body in the client), first fit in arrival order, for at most the wait; past
 * it the caller answers 429 (docs/install.md, "Large reviews"). Grants run on the waiter's own
 * thread through the executor it gave.
 */
public final class ReviewMemoryBudget {

    /** Heap charged per byte of request body: the body itself plus its JSON tree (see the class comment). */
    public static final int COST_PER_BODY_BYTE = 24;

    /** A review waiting for room: its charge, where to run the grant, and what to do then. */
    private record Waiter(long cost, Consumer<Runnable> executor, Consumer<Boolean> then) {}

    private final long capacity;
    private long used;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

    public ReviewMemoryBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("the review memory budget must be positive, got " + capacity + " bytes");
        }
        this.capacity = capacity;
    }

    /** The charge of a review whose body declares {@code contentLength} bytes (-1: unknown, charged as the largest). */
    public long cost(long contentLength) {
        long bytes = contentLength < 0 || contentLength > AdmissionReviewDecoder.MAX_BODY_BYTES ? AdmissionReviewDecoder.MAX_BODY_BYTES : contentLength;
        return Math.min(capacity, Math.max(1, bytes) * COST_PER_BODY_BYTE);
    }

    /** Takes {@code cost} at once if it fits; true when taken. */
    public synchronized boolean tryTake(long cost) {
        if (used + cost <= capacity) {
            used += cost;
            return true;
        }
        return false;
    }

    /**
     * Queues a review that did not fit: {@code then} later gets true (the cost is taken; give it back
     * with {@link #give}) through {@code executor}, or false when {@link #abandon} removed it first.
     * Returns the handle to abandon it with.
     */
    public Object await(long cost, Consumer<Runnable> executor, Consumer<Boolean> then) {
        Waiter waiter = new Waiter(cost, executor, then);
        List<Waiter> granted;
        synchronized (this) {
            waiting.add(waiter);
            granted = grant(); // room may have been given back since the caller's tryTake
        }
        run(granted);
        return waiter;
    }

    /** Stops waiting: true when {@code handle} was still queued (its {@code then} then gets false, here); false when already granted. */
    public boolean abandon(Object handle) {
        synchronized (this) {
            if (!waiting.remove(handle)) {
                return false;
            }
        }
        ((Waiter) handle).then().accept(false);
        return true;
    }

    /** Gives back what a review took, and lets in every waiting review that now fits. */
    public void give(long cost) {
        List<Waiter> granted;
        synchronized (this) {
            used -= cost;
            granted = grant();
        }
        run(granted);
    }

    /** Heap charged to reviews in flight now, in bytes. */
    public synchronized long used() {
        return used;
    }

    public long capacity() {
        return capacity;
    }

    private List<Waiter> grant() {
        List<Waiter> granted = new ArrayList<>();
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (used + w.cost() <= capacity) {
                used += w.cost();
                it.remove();
                granted.add(w);
            }
        }
        return granted;
    }

    private static void run(List<Waiter> granted) {
        for (Waiter w : granted) {
            w.executor().accept(() -> w.then().accept(true));
        }
    }
}
