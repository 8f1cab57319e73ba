package io.restfs.dht.env;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The world a DHT node runs in: time, the logic thread and randomness, all injected so the simulator can
 * drive the same code deterministically from one seed.
 *
 * @param clock     monotonic time, for every timeout and expiry
 * @param scheduler the node's single logic thread
 * @param random    every random choice of the node (transaction ids, token secrets, refresh targets)
 * @param wallClock milliseconds since the Unix epoch, only to timestamp signed restfs_info (the simulator may
 *                  pass its virtual clock)
 */
public record Environment(Clock clock, Scheduler scheduler, RandomGenerator random, Clock wallClock) {
    public Environment {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(wallClock, "wallClock");
    }

    /** An environment whose wall clock is its monotonic clock (tests, the simulator). */
    public Environment(Clock clock, Scheduler scheduler, RandomGenerator random) {
        this(clock, scheduler, random, clock);
    }
}
