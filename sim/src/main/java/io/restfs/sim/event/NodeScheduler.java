package io.restfs.sim.event;

import io.restfs.dht.env.Cancellable;
import io.restfs.dht.env.Scheduler;

/**
 * One simulated node's logic thread on its lane's {@link EventQueue} (see {@link Lanes}). When the node stops (crash or
 * leave) every timer it still has pending is dropped, as a dead process runs nothing; a restarted node
 * gets a fresh scheduler.
 */
public final class NodeScheduler implements Scheduler {
    private final EventQueue queue;
    private boolean stopped;
    private long tasksRun;

    public NodeScheduler(EventQueue queue) {
        this.queue = queue;
    }

    @Override
    public void execute(Runnable task) {
        queue.at(queue.nowMillis(), new Timer(task));
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("negative delay " + delayMillis);
        }
        Timer t = new Timer(task);
        queue.at(queue.nowMillis() + delayMillis, t);
        return t;
    }

    /** Drops every pending and future task of this node. */
    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Tasks this node has run (timers and handed-over work), for the per-node cost figures. */
    public long tasksRun() {
        return tasksRun;
    }

    /** A pending task; one object serves as both the queued event and its cancel handle. */
    private final class Timer implements Runnable, Cancellable {
        private Runnable body;

        Timer(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            Runnable b = body;
            if (b == null || stopped) {
                return;
            }
            body = null;
            tasksRun++;
            b.run();
        }

        @Override
        public void cancel() {
            // Lazy deletion: the heap entry stays until due and then does nothing; dropping the body
            // lets the collector reclaim what it captured right away.
            body = null;
        }
    }
}
