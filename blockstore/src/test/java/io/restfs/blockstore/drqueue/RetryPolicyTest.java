package io.restfs.blockstore.drqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void doublesTheDelayWithJitterBetweenHalfAndWhole() {
        Random random = new Random(1);
        for (int attempt = 1; attempt <= 6; attempt++) {
            long nominal = 1000L << (attempt - 1);
            for (int i = 0; i < 200; i++) {
                long d = policy.delayAfter(attempt, random).toMillis();
                assertTrue(d >= nominal / 2 && d <= nominal, "attempt " + attempt + ": " + d);
            }
        }
    }

    @Test
    void capsTheDelayEvenAfterVeryManyAttempts() {
        Random random = new Random(2);
        for (int attempt : new int[] {7, 8, 63, 64, 1000, Integer.MAX_VALUE}) {
            long d = policy.delayAfter(attempt, random).toMillis();
            assertTrue(d >= 30_000 && d <= 60_000, "attempt " + attempt + ": " + d);
        }
    }

    @Test
    void spreadsRetriesAndRepeatsThemForTheSameSeed() {
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(policy.delayAfter(5, new Random(i)));
        }
        assertTrue(seen.size() > 10, "jitter should spread delays: " + seen);
        assertEquals(policy.delayAfter(5, new Random(99)), policy.delayAfter(5, new Random(99)));
        assertNotEquals(policy.delayAfter(5, new Random(1)), policy.delayAfter(5, new Random(3)));
    }

    @Test
    void rejectsNonsensicalSettings() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> policy.delayAfter(0, new Random()));
    }
}
