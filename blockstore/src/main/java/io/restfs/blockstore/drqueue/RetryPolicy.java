package io.restfs.blockstore.drqueue;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter" (half the delay fixed, half random, as in the AWS
 * Architecture Blog's "Exponential Backoff and Jitter"): the delay before retry n is drawn from
 * [d/2, d] with d = min(max, initial * 2^(n-1)), so a burst of failures spreads out instead of
 * retrying in lockstep, while no retry comes sooner than half the nominal delay.
 */
public record RetryPolicy(Duration initial, Duration max) {

    /** Defaults for shipping to the cluster: first retry after about a second, then at most every 10 minutes. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10));

    public RetryPolicy {
        if (initial == null || max == null || initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
        }
    }

    /** The delay before retrying after the {@code attempt}-th delivery failed (attempt >= 1). */
    public Duration delayAfter(int attempt, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1: " + attempt);
        }
        long maxMs = Math.max(1, max.toMillis());
        long nominal = Math.min(maxMs, Math.max(1, initial.toMillis()));
        // Doubling stops at max, so this runs at most ~63 times whatever the attempt count.
        for (int i = 1; i < attempt && nominal < maxMs; i++) {
            nominal = Math.min(maxMs, nominal * 2);
        }
        long half = nominal / 2;
        return Duration.ofMillis(nominal - half + random.nextLong(half + 1));
    }
}
