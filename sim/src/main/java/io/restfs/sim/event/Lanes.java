package io.restfs.sim.event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The simulator's event loop, run on several cores without giving up determinism.
 *
 * <p>Nodes are split into a fixed number of lanes (slot modulo lanes), each with its own {@link EventQueue}, and
 * there is one global queue for the simulator's own events (workloads, churn, time-series ticks). Virtual time
 * advances one millisecond at a time, to the earliest due event anywhere; within a millisecond:
 * <ol>
 *   <li>global events due then run, alone;</li>
 *   <li>then every lane runs its events due then, lanes in parallel. A node's logic touches only its own state, so
 *       lanes share nothing while they run: a message to a node of another lane goes into the sending lane's
 *       outbox, and a node's answer to the simulator (a finished lookup, a completed put) into the lane's list of
 *       deferred actions;</li>
 *   <li>then, alone again, the outboxes are merged into their destination queues and the deferred actions run, each
 *       in lane order; anything they schedule for this same millisecond gets another parallel round.</li>
 * </ol>
 * Every message takes at least a millisecond in flight except the rare draw of zero, which the next round of the
 * same millisecond delivers. The order of events within a lane, the order of merges and the order of deferred
 * actions are all fixed by the lane count alone, so a run is a pure function of its seed and its lane count,
 * whatever number of threads runs the lanes; a test checks that one and two threads give the same bytes.
 *
 * <p>Threads wait for a round by spinning, then yielding: rounds come every few hundred microseconds of work, far
 * too often for parking. So never run more threads than free cores.
 */
public final class Lanes implements AutoCloseable {
    /**
     * Lanes a run uses unless told otherwise. A round ends when its last lane does, so with few lanes a thread waits
     * for the other's last one: at 10,000 nodes on two threads, 4 lanes left the waiting thread idle 6-7 s of a 40 s
     * run and 16 lanes 3 s. Each lane costs an event queue (half a megabyte of ring) and a merge per millisecond.
     */
    public static final int DEFAULT_LANES = 16;
    /** Spins before a waiting thread starts yielding its core between checks. */
    private static final int SPINS_BEFORE_YIELD = 1 << 14;

    private final EventQueue global = new EventQueue();
    private final EventQueue[] queues;
    private final Outbox[] outboxes;
    private final List<List<Runnable>> deferred;
    private final Thread[] workers;

    // Round hand-off: the main thread publishes roundTime, resets the counters and bumps round; workers and main take
    // lanes from nextLane until none are left; main waits for lanesDone to reach the lane count.
    private volatile int round;
    private volatile long roundTime;
    private volatile boolean closed;
    private final AtomicInteger nextLane = new AtomicInteger();
    private final AtomicInteger lanesDone = new AtomicInteger();
    private volatile Throwable laneFailure;

    /**
     * @param lanes   how many lanes the nodes are split into: part of what determines the run
     * @param threads how many threads run them (at most {@code lanes}): only a matter of speed
     */
    public Lanes(int lanes, int threads) {
        if (lanes < 1 || lanes > 256) {
            throw new IllegalArgumentException("lanes must be between 1 and 256, got " + lanes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        queues = new EventQueue[lanes];
        outboxes = new Outbox[lanes];
        deferred = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) {
            queues[i] = new EventQueue();
            outboxes[i] = new Outbox();
            deferred.add(new ArrayList<>());
        }
        workers = new Thread[Math.min(threads, lanes) - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(this::workerLoop, "sim-lane-worker-" + (i + 1));
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    public int lanes() {
        return queues.length;
    }

    /** Threads running lanes, the caller of {@link #runUntil} included. */
    public int threads() {
        return workers.length + 1;
    }

    /** The lane of node slot {@code slot}. */
    public int laneOf(int slot) {
        return slot % queues.length;
    }

    /** The queue of the simulator's own events; its clock is the run's clock. */
    public EventQueue global() {
        return global;
    }

    /** The queue of lane {@code lane}, for its nodes' timers and incoming messages. */
    public EventQueue queue(int lane) {
        return queues[lane];
    }

    /** Virtual time now. */
    public long nowMillis() {
        return global.nowMillis();
    }

    /**
     * Schedules {@code event} at {@code due} in lane {@code toLane} on behalf of lane {@code fromLane}, from that
     * lane's thread or while lanes are not running: at once when it stays in the lane, else through the outbox.
     */
    public void post(int fromLane, int toLane, long due, Runnable event) {
        if (fromLane == toLane) {
            queues[toLane].at(due, event);
        } else {
            outboxes[fromLane].add(toLane, due, event);
        }
    }

    /**
     * Runs {@code action} when the lanes have finished the current round, alone, in lane order: how a node's
     * answer reaches the simulator's shared state (membership, metrics, workloads).
     */
    public void defer(int lane, Runnable action) {
        deferred.get(lane).add(action);
    }

    /** Events run so far, in every queue. */
    public long executed() {
        long n = global.executed();
        for (EventQueue q : queues) {
            n += q.executed();
        }
        return n;
    }

    /** Events waiting in every queue and outbox (deferred actions not counted). */
    public long pending() {
        long n = global.size();
        for (int i = 0; i < queues.length; i++) {
            n += queues[i].size() + outboxes[i].size;
        }
        return n;
    }

    /** Runs every event due at or before {@code untilMillis}, then leaves the clock there. */
    public void runUntil(long untilMillis) {
        runUntil(untilMillis, () -> false);
    }

    /**
     * Runs events millisecond by millisecond until {@code untilMillis} or until {@code stop} holds after a
     * millisecond; the clock is left at the last millisecond run (or at {@code untilMillis} when reached).
     */
    public void runUntil(long untilMillis, BooleanSupplier stop) {
        settle();
        while (!stop.getAsBoolean()) {
            long t = nextDue();
            if (t > untilMillis) {
                advance(untilMillis);
                return;
            }
            advance(t);
            runMillisecond(t);
        }
    }

    /** Due time of the earliest event anywhere, or {@link Long#MAX_VALUE}. */
    public long nextDue() {
        long t = global.peekTime();
        for (EventQueue q : queues) {
            t = Math.min(t, q.peekTime());
        }
        return t;
    }

    private void advance(long t) {
        if (t <= global.nowMillis()) {
            return;
        }
        global.advance(t);
        for (EventQueue q : queues) {
            q.advance(t);
        }
    }

    private void runMillisecond(long t) {
        while (true) {
            settle();
            if (!anyLaneDue(t)) {
                return;
            }
            runLanes(t);
        }
    }

    /** Alone: global events due now, deferred actions, and merges of outboxes, until none is left. */
    private void settle() {
        long t = global.nowMillis();
        boolean more = true;
        while (more) {
            more = false;
            while (global.peekTime() <= t) {
                global.runNext();
                more = true;
            }
            for (List<Runnable> actions : deferred) {
                // An action may defer another (a call that completes at once): index, not iterator.
                for (int i = 0; i < actions.size(); i++) {
                    actions.get(i).run();
                    more = true;
                }
                actions.clear();
            }
            for (Outbox o : outboxes) {
                if (o.size > 0) {
                    o.drainInto(queues);
                    more = true;
                }
            }
        }
    }

    private boolean anyLaneDue(long t) {
        for (EventQueue q : queues) {
            if (q.peekTime() <= t) {
                return true;
            }
        }
        return false;
    }

    private void runLanes(long t) {
        if (workers.length == 0) {
            for (EventQueue q : queues) {
                q.runUntil(t);
            }
            return;
        }
        // Order matters: lanesDone is reset before any lane can be taken, and a thread that takes a lane reads the
        // round's time after taking it, so a worker still waking from the last round joins this one correctly.
        roundTime = t;
        lanesDone.set(0);
        nextLane.set(0);
        round = round + 1; // volatile write: publishes the above and every change made while alone
        takeLanes();
        int spins = 0;
        while (lanesDone.get() < queues.length) {
            spins = pause(spins);
        }
        Throwable failure = laneFailure;
        if (failure != null) {
            laneFailure = null;
            throw new IllegalStateException("a simulated node's event failed", failure);
        }
    }

    private void takeLanes() {
        for (int lane = nextLane.getAndIncrement(); lane < queues.length; lane = nextLane.getAndIncrement()) {
            try {
                queues[lane].runUntil(roundTime);
            } catch (Throwable e) {
                if (laneFailure == null) {
                    laneFailure = e;
                }
            } finally {
                lanesDone.incrementAndGet();
            }
        }
    }

    private void workerLoop() {
        int seen = round;
        while (true) {
            int spins = 0;
            while (round == seen) {
                if (closed) {
                    return;
                }
                spins = pause(spins);
            }
            seen = round;
            takeLanes();
        }
    }

    private static int pause(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
            return spins + 1;
        }
        Thread.yield();
        return spins;
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Events one lane sent to other lanes this round, in the order sent. */
    private static final class Outbox {
        private int[] lane = new int[256];
        private long[] due = new long[256];
        private Runnable[] event = new Runnable[256];
        private int size;

        void add(int toLane, long at, Runnable e) {
            if (size == event.length) {
                lane = Arrays.copyOf(lane, size * 2);
                due = Arrays.copyOf(due, size * 2);
                event = Arrays.copyOf(event, size * 2);
            }
            lane[size] = toLane;
            due[size] = at;
            event[size] = e;
            size++;
        }

        void drainInto(EventQueue[] queues) {
            for (int i = 0; i < size; i++) {
                queues[lane[i]].at(due[i], event[i]);
                event[i] = null;
            }
            size = 0;
        }
    }
}
