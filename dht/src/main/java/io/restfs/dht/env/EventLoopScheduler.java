package io.restfs.dht.env;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The production logic thread: one named daemon thread running a scheduled executor, and the JVM's
 * monotonic clock. Its owner (the process wiring a DHT node) closes it after the node.
 */
public final class EventLoopScheduler implements Scheduler, Clock, AutoCloseable {
    private final ScheduledExecutorService executor;
    private final long originNanos = System.nanoTime();
    private volatile Thread thread;

    public EventLoopScheduler(String threadName) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    @Override
    public long nowMillis() {
        return (System.nanoTime() - originNanos) / 1_000_000L;
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guard(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: work handed over after close is dropped, as a closed node receives nothing
        }
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        try {
            ScheduledFuture<?> f = executor.schedule(guard(task), delayMillis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return () -> { };
        }
    }

    /** True when called from the logic thread itself. */
    public boolean inLogicThread() {
        return Thread.currentThread() == thread;
    }

    private static Runnable guard(Runnable task) {
        // A failing task must not kill the only logic thread: log and carry on.
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                org.slf4j.LoggerFactory.getLogger(EventLoopScheduler.class).error("dht task failed", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
