package io.restfs.dht.env;

/**
 * Runs tasks on the DHT node's single logic thread. All DHT state is touched only from tasks run here,
 * so the logic needs no locks; a simulator implements this with a virtual-time event queue.
 */
public interface Scheduler {
    /** Runs {@code task} on the logic thread as soon as possible, after tasks already queued for now. */
    void execute(Runnable task);

    /** Runs {@code task} on the logic thread once {@code delayMillis} have passed on the scheduler's clock. */
    Cancellable schedule(long delayMillis, Runnable task);
}
