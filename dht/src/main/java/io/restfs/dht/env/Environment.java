package io.restfs.dht.env;

import io.restfs.dht.crypto.SignatureVerifier;

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
 * @param verifier  checks every Ed25519 signature the node receives (restfs_info, BEP 44 items); plain
 *                  verification unless replaced, e.g. by a {@link io.restfs.dht.crypto.CachingSignatureVerifier}
 *                  shared by a simulator's nodes
 */
public record Environment(Clock clock, Scheduler scheduler, RandomGenerator random, Clock wallClock,
                          SignatureVerifier verifier) {
    public Environment {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(wallClock, "wallClock");
        Objects.requireNonNull(verifier, "verifier");
    }

    /** An environment that verifies every signature with {@link SignatureVerifier#ED25519}. */
    public Environment(Clock clock, Scheduler scheduler, RandomGenerator random, Clock wallClock) {
        this(clock, scheduler, random, wallClock, SignatureVerifier.ED25519);
    }

    /** An environment whose wall clock is its monotonic clock (tests, the simulator). */
    public Environment(Clock clock, Scheduler scheduler, RandomGenerator random) {
        this(clock, scheduler, random, clock);
    }

    /** The same environment with signatures checked by {@code verifier}. */
    public Environment withSignatureVerifier(SignatureVerifier verifier) {
        return new Environment(clock, scheduler, random, wallClock, verifier);
    }
}
