package io.restfs.sim.event;

import io.restfs.dht.env.Clock;
import java.util.Arrays;

/**
 * The simulator's single virtual-time event queue: a binary min-heap keyed by (due time, sequence) held in
 * primitive arrays, so tens of millions of events cost no comparator calls or boxed keys. Events due at the
 * same millisecond run in the order they were scheduled, which makes every run a pure function of its seed.
 */
public final class EventQueue implements Clock {
    /** Initial heap capacity; it doubles as needed (a 10,000-node run peaks near a few hundred thousand). */
    private static final int INITIAL_CAPACITY = 1 << 12;

    private long[] due = new long[INITIAL_CAPACITY];
    private long[] seq = new long[INITIAL_CAPACITY];
    private Runnable[] task = new Runnable[INITIAL_CAPACITY];
    private int size;
    private long now;
    private long nextSeq;
    private long executed;

    @Override
    public long nowMillis() {
        return now;
    }

    /** Schedules {@code event} to run at virtual time {@code atMillis} (clamped to now: the past is gone). */
    public void at(long atMillis, Runnable event) {
        long t = Math.max(atMillis, now);
        if (size == due.length) {
            int cap = size * 2;
            due = Arrays.copyOf(due, cap);
            seq = Arrays.copyOf(seq, cap);
            task = Arrays.copyOf(task, cap);
        }
        long s = nextSeq++;
        int i = size++;
        // sift up
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (less(due[parent], seq[parent], t, s)) {
                break;
            }
            due[i] = due[parent];
            seq[i] = seq[parent];
            task[i] = task[parent];
            i = parent;
        }
        due[i] = t;
        seq[i] = s;
        task[i] = event;
    }

    /** Schedules {@code event} after {@code delayMillis} of virtual time. */
    public void after(long delayMillis, Runnable event) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("negative delay " + delayMillis);
        }
        at(now + delayMillis, event);
    }

    private static boolean less(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    /** Due time of the next event, or {@link Long#MAX_VALUE} when the queue is empty. */
    public long peekTime() {
        return size == 0 ? Long.MAX_VALUE : due[0];
    }

    public int size() {
        return size;
    }

    /** How many events have run since the queue was made. */
    public long executed() {
        return executed;
    }

    /** Runs the next event, moving the clock to its due time; false when the queue is empty. */
    public boolean runNext() {
        if (size == 0) {
            return false;
        }
        long t = due[0];
        Runnable r = task[0];
        int last = --size;
        long lt = due[last];
        long ls = seq[last];
        Runnable lr = task[last];
        task[last] = null;
        if (last > 0) {
            // sift down the former last element from the root
            int i = 0;
            int half = last >>> 1;
            while (i < half) {
                int c = 2 * i + 1;
                int right = c + 1;
                if (right < last && less(due[right], seq[right], due[c], seq[c])) {
                    c = right;
                }
                if (less(lt, ls, due[c], seq[c])) {
                    break;
                }
                due[i] = due[c];
                seq[i] = seq[c];
                task[i] = task[c];
                i = c;
            }
            due[i] = lt;
            seq[i] = ls;
            task[i] = lr;
        }
        now = t;
        executed++;
        r.run();
        return true;
    }

    /** Runs every event due at or before {@code untilMillis}, then leaves the clock there. */
    public void runUntil(long untilMillis) {
        while (size > 0 && due[0] <= untilMillis) {
            runNext();
        }
        now = Math.max(now, untilMillis);
    }
}
