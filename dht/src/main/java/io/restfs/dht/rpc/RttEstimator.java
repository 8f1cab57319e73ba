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
            rttvar = firstRttvar(r);
        } else {
            rttvar = nextRttvar(srtt, rttvar, r);
            srtt = nextSrtt(srtt, r);
        }
    }

    /** RFC 6298 2.2: after the first measurement R, RTTVAR = R / 2 (and SRTT = R). */
    static double firstRttvar(double r) {
        return r / 2;
    }

    /** RFC 6298 2.3: RTTVAR = (1 - beta) * RTTVAR + beta * |SRTT - R'|, computed with the SRTT before this sample. */
    static double nextRttvar(double srtt, double rttvar, double r) {
        return (1 - BETA) * rttvar + BETA * Math.abs(srtt - r);
    }

    /** RFC 6298 2.3: SRTT = (1 - alpha) * SRTT + alpha * R'. */
    static double nextSrtt(double srtt, double r) {
        return (1 - ALPHA) * srtt + ALPHA * r;
    }

    /** SRTT + 4 * RTTVAR, rounded up and clamped to [min, max]. */
    static long rto(double srtt, double rttvar, long min, long max) {
        long rto = (long) Math.ceil(srtt + 4 * rttvar);
        return Math.max(min, Math.min(max, rto));
    }

    public boolean hasSamples() {
        return srtt >= 0;
    }

    /** srtt + 4 * rttvar clamped to [min, max]; {@code fallback} before any sample. */
    public long timeoutMillis(long fallback, long min, long max) {
        if (srtt < 0) {
            return fallback;
        }
        return rto(srtt, rttvar, min, max);
    }

    public double smoothedMillis() {
        return srtt;
    }
}
