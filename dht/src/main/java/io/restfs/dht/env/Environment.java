package io.restfs.dht.env;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The world a DHT node runs in: time, the logic thread and randomness, all injected so the simulator can
 * drive the same code deterministically from one seed.
 *
 * @param clock     monotonic time
 * @param scheduler the node's single logic thread
 * @param random    every random choice of the node (transaction ids, token secrets, refresh targets)
 */
public record Environment(Clock clock, Scheduler scheduler, RandomGenerator random) {
    public Environment {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(random, "random");
    }
}
