package io.restfs.dht.rpc;

import io.restfs.dht.util.LruSlots;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The round-trip estimate (RFC 6298, as {@link RttEstimator} keeps it for one peer) of each of at most a bounded
 * number of peers, by address and port, the least recently used forgotten first. Asked for every query sent and
 * fed by every response, mostly about peers not heard from for a while: the addresses sit in an {@link LruSlots}
 * table and the estimates in arrays by slot, so nothing is allocated as peers come and go.
 */
final class RttTable {
    /** IPv4 address a.b.c.d is keyed as ::ffff:a.b.c.d (RFC 4291, section 2.5.5.2), as in the rate limiter. */
    private static final long IPV4_MAPPED = 0xFFFF_0000_0000L;
    /** Marks the key of an unresolved address (never a peer's, which arrive resolved): its name's hash instead. */
    private static final long UNRESOLVED = -1L;

    private final LruSlots peers;
    private double[] srtt;
    private double[] rttvar;

    RttTable(int maxPeers, long hashKey) {
        this.peers = new LruSlots(maxPeers, hashKey);
        this.srtt = new double[peers.capacity()];
        this.rttvar = new double[peers.capacity()];
    }

    /** Feeds one measured round trip to {@code peer}, in millis; the peer becomes the most recently used. */
    void sample(InetSocketAddress peer, long rttMillis) {
        long k0 = k0(peer);
        long k1 = k1(peer);
        int slot = peers.find(k0, k1, peer.getPort());
        double r = Math.max(0, rttMillis);
        if (slot == LruSlots.NONE) {
            slot = peers.add(k0, k1, peer.getPort());
            if (slot >= srtt.length) {
                srtt = Arrays.copyOf(srtt, peers.capacity());
                rttvar = Arrays.copyOf(rttvar, peers.capacity());
            }
            srtt[slot] = r;
            rttvar[slot] = RttEstimator.firstRttvar(r);
        } else {
            peers.touch(slot);
            rttvar[slot] = RttEstimator.nextRttvar(srtt[slot], rttvar[slot], r);
            srtt[slot] = RttEstimator.nextSrtt(srtt[slot], r);
        }
    }

    /**
     * The timeout for {@code peer} (srtt + 4 rttvar clamped to [min, max]), which becomes the most recently used,
     * or -1 when its round trips are not known.
     */
    long timeoutMillis(InetSocketAddress peer, long min, long max) {
        int slot = peers.find(k0(peer), k1(peer), peer.getPort());
        if (slot == LruSlots.NONE) {
            return -1;
        }
        peers.touch(slot);
        return RttEstimator.rto(srtt[slot], rttvar[slot], min, max);
    }

    int size() {
        return peers.size();
    }

    private static long k0(InetSocketAddress peer) {
        InetAddress a = peer.getAddress();
        if (a == null) {
            return UNRESOLVED;
        }
        byte[] b = a.getAddress();
        return b.length == 4 ? 0 : readLong(b, 0);
    }

    private static long k1(InetSocketAddress peer) {
        InetAddress a = peer.getAddress();
        if (a == null) {
            return peer.getHostString().hashCode();
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return IPV4_MAPPED | ((long) (b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8)
                    | (b[3] & 0xFF);
        }
        return readLong(b, 8);
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = at; i < at + 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
