package io.restfs.dht.node;

import io.restfs.dht.env.VirtualTime;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    @Test
    void floodingAddressRunsDryWhileOthersKeepTheirBudget() throws Exception {
        VirtualTime time = new VirtualTime();
        RateLimiter limiter = new RateLimiter(time, 10, 5, 100);
        InetAddress flooder = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        InetAddress other = InetAddress.getByAddress(new byte[] {10, 0, 0, 2});
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (limiter.tryAcquire(flooder)) {
                allowed++;
            }
        }
        assertEquals(5, allowed, "the burst, then nothing");
        assertTrue(limiter.tryAcquire(other));
        time.advance(100);
        assertTrue(limiter.tryAcquire(flooder), "one token back after 1/rate seconds");
        assertFalse(limiter.tryAcquire(flooder));
        assertEquals(96, limiter.refused());
    }

    @Test
    void forgetsLeastRecentlyActiveAddressesBeyondItsBound() throws Exception {
        VirtualTime time = new VirtualTime();
        RateLimiter limiter = new RateLimiter(time, 1, 1, 3);
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i}));
        }
        assertEquals(3, limiter.tracked());
    }
}
