package io.restfs.sim.event;

import io.restfs.dht.env.Clock;
import java.util.Arrays;

/**
 * A virtual-time event queue: one per lane and one for the simulator's own events (see {@link Lanes}). Events due at
 * the same millisecond run in the order they were scheduled, which makes every run a pure function of its seed.
 *
 * <p>A calendar queue: events due within {@link #RING_MILLIS} of now sit in a ring of per-millisecond FIFO lists
 * (scheduling order is sequence order, so a list needs no sorting), threaded through primitive arrays; later events
 * wait in a binary min-heap keyed by (due time, sequence) and move into the ring, in that order, as the clock comes
 * within reach of them. Nearly every event (message deliveries, RPC timeouts) is due within seconds, so scheduling
 * and running one costs O(1) with sequential memory access, where a heap over all pending events took a cache miss
 * per level (the queue's own share of the run was 13% at 10,000 nodes).
 *
 * <p>Why the order is exact: an event enters a millisecond's list either directly, when scheduled while that
 * millisecond is within reach, or from the heap at the moment the clock first brings the millisecond within reach,
 * before anything can be scheduled directly for it; the heap hands them over in sequence order. Either way a list
 * only ever grows in sequence order.
 */
public final class EventQueue implements Clock {
    /** Reach of the ring: 2^16 ms (65 s) covers every delivery and RPC timeout; only long timers use the heap. */
    static final int RING_MILLIS = 1 << 16;
    private static final int RING_MASK = RING_MILLIS - 1;
    private static final int NONE = -1;
    /** Initial capacity of the event pool and the heap; both double as needed. */
    private static final int INITIAL_CAPACITY = 1 << 12;

    // The ring: per millisecond (due & RING_MASK) the first and last event of its FIFO list, or NONE.
    private final int[] head = new int[RING_MILLIS];
    private final int[] tail = new int[RING_MILLIS];
    // The event pool: task and successor in its list; free slots are chained through `next` from `free`.
    private Runnable[] task = new Runnable[INITIAL_CAPACITY];
    private int[] next = new int[INITIAL_CAPACITY];
    private int free = NONE;
    private int poolUsed;
    private int inRing;
    /** No ring event is due before this (a scan position, at least {@code now}). */
    private long scanFrom;

    // The heap of events beyond the ring's reach.
    private long[] heapDue = new long[INITIAL_CAPACITY];
    private long[] heapSeq = new long[INITIAL_CAPACITY];
    private Runnable[] heapTask = new Runnable[INITIAL_CAPACITY];
    private int heapSize;

    private long now;
    private long nextSeq;
    private long executed;

    public EventQueue() {
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
    }

    @Override
    public long nowMillis() {
        return now;
    }

    /** Schedules {@code event} to run at virtual time {@code atMillis} (clamped to now: the past is gone). */
    public void at(long atMillis, Runnable event) {
        long t = Math.max(atMillis, now);
        long s = nextSeq++;
        if (t - now < RING_MILLIS) {
            append(t, event);
        } else {
            heapPush(t, s, event);
        }
    }

    /** Schedules {@code event} after {@code delayMillis} of virtual time. */
    public void after(long delayMillis, Runnable event) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("negative delay " + delayMillis);
        }
        at(now + delayMillis, event);
    }

    /** Due time of the next event, or {@link Long#MAX_VALUE} when the queue is empty. */
    public long peekTime() {
        if (inRing == 0) {
            return heapSize == 0 ? Long.MAX_VALUE : heapDue[0];
        }
        return nextRingDue();
    }

    public int size() {
        return inRing + heapSize;
    }

    /** How many events have run since the queue was made. */
    public long executed() {
        return executed;
    }

    /** Runs the next event, moving the clock to its due time; false when the queue is empty. */
    public boolean runNext() {
        if (inRing == 0) {
            if (heapSize == 0) {
                return false;
            }
            advanceTo(heapDue[0]); // brings at least that event into the ring
        }
        long t = nextRingDue();
        int b = (int) (t & RING_MASK);
        int e = head[b];
        Runnable r = task[e];
        head[b] = next[e];
        if (head[b] == NONE) {
            tail[b] = NONE;
        }
        task[e] = null;
        next[e] = free;
        free = e;
        inRing--;
        if (t > now) {
            advanceTo(t);
        }
        executed++;
        r.run();
        return true;
    }

    /** Runs every event due at or before {@code untilMillis}, then leaves the clock there. */
    public void runUntil(long untilMillis) {
        while (peekTime() <= untilMillis) {
            runNext();
        }
        if (untilMillis > now) {
            advanceTo(untilMillis);
        }
    }

    /**
     * Moves the clock forward to {@code t} without running anything; nothing may be due before {@code t} (the
     * {@link Lanes} keep every queue's clock on the run's clock this way).
     */
    public void advance(long t) {
        if (t < now) {
            throw new IllegalArgumentException("the clock is at " + now + ", cannot go back to " + t);
        }
        if (peekTime() < t) {
            throw new IllegalStateException("an event due at " + peekTime() + " would be skipped by advancing to " + t);
        }
        advanceTo(t);
    }

    /** Due time of the earliest ring event; the ring must not be empty. */
    private long nextRingDue() {
        long t = Math.max(scanFrom, now);
        while (head[(int) (t & RING_MASK)] == NONE) {
            t++;
        }
        scanFrom = t;
        return t;
    }

    /** Moves the clock to {@code t} and the heap's events now within the ring's reach into the ring, in order. */
    private void advanceTo(long t) {
        now = t;
        if (scanFrom < t) {
            scanFrom = t;
        }
        while (heapSize > 0 && heapDue[0] - now < RING_MILLIS) {
            long due = heapDue[0];
            append(due, heapPop());
        }
    }

    private void append(long due, Runnable event) {
        int e = free;
        if (e != NONE) {
            free = next[e];
        } else {
            if (poolUsed == task.length) {
                task = Arrays.copyOf(task, poolUsed * 2);
                next = Arrays.copyOf(next, poolUsed * 2);
            }
            e = poolUsed++;
        }
        task[e] = event;
        next[e] = NONE;
        int b = (int) (due & RING_MASK);
        if (tail[b] == NONE) {
            head[b] = e;
        } else {
            next[tail[b]] = e;
        }
        tail[b] = e;
        inRing++;
        if (due < scanFrom) {
            scanFrom = due;
        }
    }

    // ---- the heap of far events: binary, keyed by (due, sequence) ----

    private void heapPush(long t, long s, Runnable event) {
        if (heapSize == heapDue.length) {
            int cap = heapSize * 2;
            heapDue = Arrays.copyOf(heapDue, cap);
            heapSeq = Arrays.copyOf(heapSeq, cap);
            heapTask = Arrays.copyOf(heapTask, cap);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (less(heapDue[parent], heapSeq[parent], t, s)) {
                break;
            }
            heapDue[i] = heapDue[parent];
            heapSeq[i] = heapSeq[parent];
            heapTask[i] = heapTask[parent];
            i = parent;
        }
        heapDue[i] = t;
        heapSeq[i] = s;
        heapTask[i] = event;
    }

    private Runnable heapPop() {
        Runnable r = heapTask[0];
        int last = --heapSize;
        long lt = heapDue[last];
        long ls = heapSeq[last];
        Runnable lr = heapTask[last];
        heapTask[last] = null;
        if (last > 0) {
            int i = 0;
            int half = last >>> 1;
            while (i < half) {
                int c = 2 * i + 1;
                int right = c + 1;
                if (right < last && less(heapDue[right], heapSeq[right], heapDue[c], heapSeq[c])) {
                    c = right;
                }
                if (less(lt, ls, heapDue[c], heapSeq[c])) {
                    break;
                }
                heapDue[i] = heapDue[c];
                heapSeq[i] = heapSeq[c];
                heapTask[i] = heapTask[c];
                i = c;
            }
            heapDue[i] = lt;
            heapSeq[i] = ls;
            heapTask[i] = lr;
        }
        return r;
    }

    private static boolean less(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }
}
