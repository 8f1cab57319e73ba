package io.restfs.dht.rpc;

/**
 * How long the engine waits for answers.
 *
 * @param initialMillis timeout for a peer never measured
 * @param minMillis     floor of the adaptive timeout (scheduling jitter must not look like loss)
 * @param maxMillis     ceiling of the adaptive timeout, and of one attempt after back-off
 * @param attempts      sends per call before it fails (1 = no retry); each retry doubles the timeout (Karn)
 */
public record RpcTimeouts(long initialMillis, long minMillis, long maxMillis, int attempts) {
    /**
     * Mainline clients commonly give a query 2-5 s; an unmeasured peer gets 2 s, a measured one
     * srtt + 4 rttvar within [250 ms, 5 s], and a call is sent up to 3 times.
     */
    public static final RpcTimeouts DEFAULT = new RpcTimeouts(2_000, 250, 5_000, 3);

    public RpcTimeouts {
        if (minMillis < 1 || initialMillis < minMillis || maxMillis < initialMillis || attempts < 1) {
            throw new IllegalArgumentException("bad timeouts: initial " + initialMillis + ", min " + minMillis
                    + ", max " + maxMillis + ", attempts " + attempts);
        }
    }
}
