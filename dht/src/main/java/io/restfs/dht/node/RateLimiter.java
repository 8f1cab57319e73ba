package io.restfs.dht.node;

import io.restfs.dht.env.Clock;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source IP: each address may send {@code burst} queries at once and {@code ratePerSecond}
 * on average, so one address cannot monopolise the node or make it amplify traffic. The table of addresses is
 * bounded: the least recently active address is forgotten first (it then starts again with a full bucket,
 * which costs an attacker nothing it could not get from a fresh address anyway).
 */
public final class RateLimiter {
    private final Clock clock;
    private final double ratePerMilli;
    private final double burst;
    private final int maxTracked;
    private final LinkedHashMap<InetAddress, double[]> buckets;
    private long refused;

    public RateLimiter(Clock clock, double ratePerSecond, int burst, int maxTracked) {
        if (ratePerSecond <= 0 || burst < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("rate " + ratePerSecond + "/s, burst " + burst + ", tracked " + maxTracked);
        }
        this.clock = clock;
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = burst;
        this.maxTracked = maxTracked;
        // Access order: the eldest entry is the least recently active address.
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, double[]> eldest) {
                return size() > RateLimiter.this.maxTracked;
            }
        };
    }

    /** Takes one token for {@code source}; false (and counted) when its bucket is empty. */
    public boolean tryAcquire(InetAddress source) {
        long now = clock.nowMillis();
        double[] b = buckets.get(source);
        if (b == null) {
            b = new double[] {burst, now};
            buckets.put(source, b);
        } else {
            double elapsed = Math.max(0, now - b[1]);
            b[0] = Math.min(burst, b[0] + elapsed * ratePerMilli);
            b[1] = now;
        }
        if (b[0] >= 1) {
            b[0] -= 1;
            return true;
        }
        refused++;
        return false;
    }

    public long refused() {
        return refused;
    }

    public int tracked() {
        return buckets.size();
    }
}
