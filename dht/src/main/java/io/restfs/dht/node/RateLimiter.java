package io.restfs.dht.node;

import io.restfs.dht.env.Clock;
import io.restfs.dht.util.Keys;
import io.restfs.dht.util.LruSlots;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A token bucket per source IP: each address may send {@code burst} queries at once and {@code ratePerSecond}
 * on average, so one address cannot monopolise the node or make it amplify traffic. The table of addresses is
 * bounded: the least recently active address is forgotten first (it then starts again with a full bucket,
 * which costs an attacker nothing it could not get from a fresh address anyway).
 *
 * <p>Every query a node receives passes through here, mostly from an address it has not seen for a while, so the
 * addresses sit in an {@link LruSlots} table and each one's tokens and last refill in arrays by slot: nothing is
 * allocated per query.
 */
public final class RateLimiter {
    private final Clock clock;
    private final double ratePerMilli;
    private final double burst;
    private final LruSlots sources;
    private double[] tokens;
    private long[] lastRefill;
    private long refused;

    /**
     * @param hashKey a secret of the node's (see {@link io.restfs.dht.crypto.Ed25519KeyPair#derivedSecret}): the
     *                index's hash of an address mixes it in, so that a sender cannot choose addresses (an IPv6 /64
     *                gives it 2^64) whose probe sequences collide and make every query walk a long chain
     */
    public RateLimiter(Clock clock, double ratePerSecond, int burst, int maxTracked, long hashKey) {
        if (ratePerSecond <= 0 || burst < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("rate " + ratePerSecond + "/s, burst " + burst + ", tracked " + maxTracked);
        }
        this.clock = clock;
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = burst;
        this.sources = new LruSlots(maxTracked, hashKey);
        this.tokens = new double[sources.capacity()];
        this.lastRefill = new long[sources.capacity()];
    }

    /** Takes one token for {@code source}; false (and counted) when its bucket is empty. */
    public boolean tryAcquire(InetAddress source) {
        byte[] a = source.getAddress();
        long hi = Keys.addressHigh(a);
        long lo = Keys.addressLow(a);
        long now = clock.nowMillis();
        int slot = sources.find(hi, lo, 0);
        double t;
        if (slot == LruSlots.NONE) {
            slot = sources.add(hi, lo, 0);
            if (slot >= tokens.length) {
                tokens = Arrays.copyOf(tokens, sources.capacity());
                lastRefill = Arrays.copyOf(lastRefill, sources.capacity());
            }
            t = burst;
        } else {
            double elapsed = Math.max(0, now - lastRefill[slot]);
            t = Math.min(burst, tokens[slot] + elapsed * ratePerMilli);
            sources.touch(slot);
        }
        lastRefill[slot] = now;
        boolean granted = t >= 1;
        if (granted) {
            t -= 1;
        } else {
            refused++;
        }
        tokens[slot] = t;
        return granted;
    }

    public long refused() {
        return refused;
    }

    public int tracked() {
        return sources.size();
    }
}
