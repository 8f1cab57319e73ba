package io.restfs.dht.rpc;

import io.restfs.dht.util.FourWayTable;
import io.restfs.dht.util.Keys;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The round-trip estimate (RFC 6298, as {@link RttEstimator} keeps it for one peer) of each of at most a bounded
 * number of peers, by address and port, a least recently used one forgotten first. Asked for every query sent and
 * fed by every response, mostly about peers not heard from for a while: each estimate is one long in a
 * {@link FourWayTable}, the smoothed round trip and its variation as two floats, so nothing is allocated as peers
 * come and go and a look-up reads one run of eight longs.
 */
final class RttTable {
    /** Marks the key of an unresolved address (never a peer's, which arrive resolved): its name's hash instead. */
    private static final long UNRESOLVED = -1L;

    private final FourWayTable peers;

    RttTable(int maxPeers, long hashKey) {
        this.peers = new FourWayTable(maxPeers, hashKey);
    }

    /** Feeds one measured round trip to {@code peer}, in millis; the peer becomes the most recently used. */
    void sample(InetSocketAddress peer, long rttMillis) {
        long fingerprint = fingerprint(peer);
        int at = peers.find(fingerprint);
        double r = Math.max(0, rttMillis);
        if (at == FourWayTable.NONE) {
            peers.add(fingerprint, pack(r, RttEstimator.firstRttvar(r)));
        } else {
            long estimate = peers.value(at);
            double srtt = srtt(estimate);
            double rttvar = rttvar(estimate);
            peers.setValue(at, pack(RttEstimator.nextSrtt(srtt, r), RttEstimator.nextRttvar(srtt, rttvar, r)));
        }
    }

    /**
     * The timeout for {@code peer} (srtt + 4 rttvar clamped to [min, max]), which becomes the most recently used,
     * or -1 when its round trips are not known.
     */
    long timeoutMillis(InetSocketAddress peer, long min, long max) {
        int at = peers.find(fingerprint(peer));
        if (at == FourWayTable.NONE) {
            return -1;
        }
        long estimate = peers.value(at);
        return RttEstimator.rto(srtt(estimate), rttvar(estimate), min, max);
    }

    int size() {
        return peers.size();
    }

    private long fingerprint(InetSocketAddress peer) {
        InetAddress a = peer.getAddress();
        if (a == null) {
            return peers.fingerprint(UNRESOLVED, peer.getHostString().hashCode(), peer.getPort());
        }
        byte[] bytes = a.getAddress();
        return peers.fingerprint(Keys.addressHigh(bytes), Keys.addressLow(bytes), peer.getPort());
    }

    private static long pack(double srtt, double rttvar) {
        return ((long) Float.floatToRawIntBits((float) srtt) << 32)
                | (Float.floatToRawIntBits((float) rttvar) & 0xFFFF_FFFFL);
    }

    private static double srtt(long estimate) {
        return Float.intBitsToFloat((int) (estimate >>> 32));
    }

    private static double rttvar(long estimate) {
        return Float.intBitsToFloat((int) estimate);
    }
}
