package io.restfs.dht.node;

import io.restfs.dht.env.Clock;
import io.restfs.dht.util.FourWayTable;
import io.restfs.dht.util.Keys;

import java.net.InetAddress;

/**
 * A token bucket per source IP: each address may send {@code burst} queries at once and {@code ratePerSecond}
 * on average, so one address cannot monopolise the node or make it amplify traffic. The table of addresses is
 * bounded: when it is full an address that has not been active for the longest while among a few is forgotten (it
 * then starts again with a full bucket, which costs an attacker nothing it could not get from a fresh address
 * anyway).
 *
 * <p>Every query a node receives passes through here, mostly from an address it has not seen for a while, so each
 * bucket is one long in a {@link FourWayTable}: the time at which it would hold no tokens at all (the generic cell
 * rate algorithm's theoretical arrival time), in microseconds. A bucket is full once that time has passed; each query
 * moves it one emission interval ({@code 1/ratePerSecond}) later, and a query is refused when that would take it
 * more than {@code burst - 1} intervals ahead of now. That is exactly the token bucket, with the interval rounded to
 * a microsecond, and nothing is allocated per query.
 */
public final class RateLimiter {
    private static final long MICROS_PER_MILLI = 1_000;

    private final Clock clock;
    private final long intervalMicros;
    private final long toleranceMicros;
    private final FourWayTable sources;
    private long refused;

    /**
     * @param maxTracked addresses remembered at most (see {@link FourWayTable} for how it rounds)
     * @param hashKey    a secret of the node's (see {@link io.restfs.dht.crypto.Ed25519KeyPair#derivedSecret}):
     *                   addresses are fingerprinted with it, so that a sender cannot choose addresses (an IPv6 /64
     *                   gives it 2^64) that fall into one set of the table and push out the others' buckets
     */
    public RateLimiter(Clock clock, double ratePerSecond, int burst, int maxTracked, long hashKey) {
        if (!(ratePerSecond > 0) || burst < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("rate " + ratePerSecond + "/s, burst " + burst + ", tracked " + maxTracked);
        }
        this.clock = clock;
        this.intervalMicros = Math.max(1, Math.round(1_000_000 / ratePerSecond));
        this.toleranceMicros = (burst - 1) * intervalMicros;
        this.sources = new FourWayTable(maxTracked, hashKey);
    }

    /** Takes one token for {@code source}; false (and counted) when its bucket is empty. */
    public boolean tryAcquire(InetAddress source) {
        byte[] a = source.getAddress();
        long fingerprint = sources.fingerprint(Keys.addressHigh(a), Keys.addressLow(a), 0);
        long now = clock.nowMillis() * MICROS_PER_MILLI;
        int at = sources.find(fingerprint);
        if (at == FourWayTable.NONE) {
            sources.add(fingerprint, now + intervalMicros);
            return true;
        }
        long emptyAt = Math.max(sources.value(at), now);
        if (emptyAt - now > toleranceMicros) {
            refused++;
            return false;
        }
        sources.setValue(at, emptyAt + intervalMicros);
        return true;
    }

    public long refused() {
        return refused;
    }

    public int tracked() {
        return sources.size();
    }
}
