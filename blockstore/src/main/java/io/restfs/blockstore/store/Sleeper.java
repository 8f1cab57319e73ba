package io.restfs.blockstore.store;

import java.time.Duration;

/** Waits, for rate limits; tests and the simulator pass one that advances a virtual clock instead. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration d) throws InterruptedException;

    /** Really waits, on the calling thread. */
    Sleeper REAL = d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
}
