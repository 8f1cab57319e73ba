package io.restfs.dht.node;

import io.restfs.dht.env.VirtualTime;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    @Test
    void floodingAddressRunsDryWhileOthersKeepTheirBudget() throws Exception {
        VirtualTime time = new VirtualTime();
        RateLimiter limiter = new RateLimiter(time, 10, 5, 100, 42L);
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
        RateLimiter limiter = new RateLimiter(time, 1, 1, 4, 42L);
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i}));
        }
        assertEquals(4, limiter.tracked());
    }

    @Test
    void theAddressForgottenIsTheLeastRecentlyActive() throws Exception {
        VirtualTime time = new VirtualTime();
        RateLimiter limiter = new RateLimiter(time, 1, 1, 4, 42L);
        InetAddress a = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        InetAddress b = InetAddress.getByAddress(new byte[] {10, 0, 0, 2});
        InetAddress c = InetAddress.getByAddress(new byte[] {10, 0, 0, 3});
        InetAddress d = InetAddress.getByAddress(new byte[] {10, 0, 0, 4});
        InetAddress e = InetAddress.getByAddress(new byte[] {10, 0, 0, 5});
        assertTrue(limiter.tryAcquire(a));
        assertTrue(limiter.tryAcquire(b));
        assertTrue(limiter.tryAcquire(c));
        assertTrue(limiter.tryAcquire(d));
        assertFalse(limiter.tryAcquire(a), "a is tracked and empty, and now the most recently active");
        assertTrue(limiter.tryAcquire(e), "e is new; b, the least recently active, is forgotten");
        assertTrue(limiter.tryAcquire(b), "b starts again with a full bucket; c is forgotten");
        assertFalse(limiter.tryAcquire(a), "a is still tracked");
        assertTrue(limiter.tryAcquire(c));
        assertEquals(4, limiter.tracked());
    }

    @Test
    void ipv6AndIpv4AddressesHaveTheirOwnBuckets() throws Exception {
        VirtualTime time = new VirtualTime();
        RateLimiter limiter = new RateLimiter(time, 1, 1, 10, 42L);
        InetAddress v4 = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        InetAddress v6 = InetAddress.getByName("2001:db8::a00:1");
        InetAddress v6Other = InetAddress.getByName("2001:db8::1:a00:1");
        assertTrue(limiter.tryAcquire(v4));
        assertTrue(limiter.tryAcquire(v6));
        assertTrue(limiter.tryAcquire(v6Other));
        assertFalse(limiter.tryAcquire(v6));
        assertFalse(limiter.tryAcquire(v4));
        assertEquals(3, limiter.tracked());
    }

    /**
     * 50,000 queries from six addresses against token buckets in a map in access order forgetting its eldest beyond
     * four: a table of four is one set, which forgets exactly so.
     */
    @Test
    void decidesAsABoundedLeastRecentlyActiveMapOfBuckets() throws Exception {
        VirtualTime time = new VirtualTime();
        double rate = 2;
        int burst = 3;
        int bound = 4;
        RateLimiter limiter = new RateLimiter(time, rate, burst, bound, 42L);
        Map<InetAddress, double[]> model = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, double[]> eldest) {
                return size() > bound;
            }
        };
        SplittableRandom random = new SplittableRandom(7);
        long modelRefused = 0;
        for (int i = 0; i < 50_000; i++) {
            time.advance(random.nextInt(3));
            int n = random.nextInt(random.nextInt(10) == 0 ? 6 : 4);
            InetAddress source = InetAddress.getByAddress(new byte[] {10, 1, (byte) (n >> 8), (byte) n});
            long now = time.nowMillis();
            double[] bucket = model.get(source);
            if (bucket == null) {
                bucket = new double[] {burst, now};
                model.put(source, bucket);
            } else {
                bucket[0] = Math.min(burst, bucket[0] + Math.max(0, now - bucket[1]) * (rate / 1000.0));
                bucket[1] = now;
            }
            boolean expected = bucket[0] >= 1;
            if (expected) {
                bucket[0] -= 1;
            } else {
                modelRefused++;
            }
            assertEquals(expected, limiter.tryAcquire(source), "query " + i + " from " + source);
            assertEquals(model.size(), limiter.tracked());
        }
        assertEquals(modelRefused, limiter.refused());
        assertTrue(modelRefused > 1000, "the test exercises refusals: " + modelRefused);
    }
}
