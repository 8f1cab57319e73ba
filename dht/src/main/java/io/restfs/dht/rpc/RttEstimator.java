package io.restfs.dht.rpc;

/**
 * Smoothed round-trip time of one peer and the timeout derived from it, as TCP does it (RFC 6298): the
 * timeout follows the peer, so a fast peer's silence is noticed quickly and a slow one is not given up on
 * too soon.
 */
public final class RttEstimator {
    /** RFC 6298 section 2: alpha = 1/8, beta = 1/4. */
    private static final double ALPHA = 1.0 / 8;
    private static final double BETA = 1.0 / 4;

    private double srtt = -1;
    private double rttvar;

    /** Feeds one measured round trip, in millis. */
    public void sample(long rttMillis) {
        double r = Math.max(0, rttMillis);
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (1 - BETA) * rttvar + BETA * Math.abs(srtt - r);
            srtt = (1 - ALPHA) * srtt + ALPHA * r;
        }
    }

    public boolean hasSamples() {
        return srtt >= 0;
    }

    /** srtt + 4 * rttvar clamped to [min, max]; {@code fallback} before any sample. */
    public long timeoutMillis(long fallback, long min, long max) {
        if (srtt < 0) {
            return fallback;
        }
        long rto = (long) Math.ceil(srtt + 4 * rttvar);
        return Math.max(min, Math.min(max, rto));
    }

    public double smoothedMillis() {
        return srtt;
    }
}
