package io.restfs.dht.rpc;

import io.restfs.dht.util.Keys;
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
        byte[] a = addressOf(peer);
        long k0 = k0(a);
        long k1 = k1(a, peer);
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
        byte[] a = addressOf(peer);
        int slot = peers.find(k0(a), k1(a, peer), peer.getPort());
        if (slot == LruSlots.NONE) {
            return -1;
        }
        peers.touch(slot);
        return RttEstimator.rto(srtt[slot], rttvar[slot], min, max);
    }

    int size() {
        return peers.size();
    }

    /** The address bytes (a copy, read once per call), or null for an unresolved address. */
    private static byte[] addressOf(InetSocketAddress peer) {
        InetAddress a = peer.getAddress();
        return a == null ? null : a.getAddress();
    }

    private static long k0(byte[] address) {
        return address == null ? UNRESOLVED : Keys.addressHigh(address);
    }

    private static long k1(byte[] address, InetSocketAddress peer) {
        return address == null ? peer.getHostString().hashCode() : Keys.addressLow(address);
    }
}
