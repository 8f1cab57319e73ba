package io.restfs.dht.env;

import java.util.PriorityQueue;

/**
 * A virtual clock and scheduler in one: tasks run in order of due time (ties in order of scheduling) when
 * the owner advances time. Single-threaded and deterministic; in-memory tests and simulations drive many
 * nodes on one instance.
 */
public final class VirtualTime implements Clock, Scheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    private static final class Task implements Comparable<Task>, Cancellable {
        final long due;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    public VirtualTime() {
        this(0);
    }

    public VirtualTime(long startMillis) {
        this.now = startMillis;
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("negative delay " + delayMillis);
        }
        Task t = new Task(now + delayMillis, sequence++, task);
        queue.add(t);
        return t;
    }

    /** Runs the next due task, moving the clock to its due time; false when nothing is queued. */
    public boolean runNext() {
        while (true) {
            Task t = queue.poll();
            if (t == null) {
                return false;
            }
            if (t.cancelled) {
                continue;
            }
            now = Math.max(now, t.due);
            t.body.run();
            return true;
        }
    }

    /** Runs every task due up to {@code untilMillis}, then leaves the clock there. */
    public void runUntil(long untilMillis) {
        while (true) {
            Task head = queue.peek();
            if (head == null || head.due > untilMillis) {
                break;
            }
            if (head.cancelled) {
                // Dropped here: runNext would skip it and run the next live task, however far past untilMillis.
                queue.poll();
                continue;
            }
            runNext();
        }
        now = Math.max(now, untilMillis);
    }

    /** Advances the clock by {@code millis}, running every task that falls due on the way. */
    public void advance(long millis) {
        runUntil(now + millis);
    }

    /**
     * Runs tasks until {@code done} is true or virtual time passes {@code deadlineMillis}; returns whether
     * {@code done} held. Periodic tasks keep the queue non-empty, so a condition is what ends a wait.
     */
    public boolean runUntil(java.util.function.BooleanSupplier done, long deadlineMillis) {
        while (!done.getAsBoolean()) {
            Task head = queue.peek();
            if (head == null || head.due > deadlineMillis) {
                now = Math.max(now, deadlineMillis);
                return done.getAsBoolean();
            }
            runNext();
        }
        return true;
    }

    public int pendingTasks() {
        return queue.size();
    }
}
