package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Peers announced with BEP 5 announce_peer, per info-hash, each expiring 30 minutes after its announce. */
final class PeerStore {
    /** BEP 5 leaves peer expiry to the implementation; 30 minutes matches common Mainline clients. */
    static final long PEER_EXPIRE_MILLIS = 30 * 60_000L;
    /** At most this many peers go in one get_peers answer (they must fit one datagram). */
    static final int MAX_VALUES_PER_ANSWER = 50;

    private final int maxPerHash;
    private final int maxHashes;
    private final TreeMap<NodeId, LinkedHashMap<InetSocketAddress, Long>> peers = new TreeMap<>();

    PeerStore(int maxPerHash, int maxHashes) {
        this.maxPerHash = maxPerHash;
        this.maxHashes = maxHashes;
    }

    /** False when the store is full of other info-hashes. */
    boolean announce(NodeId infoHash, InetSocketAddress peer, long now) {
        LinkedHashMap<InetSocketAddress, Long> set = peers.get(infoHash);
        if (set == null) {
            if (peers.size() >= maxHashes) {
                return false;
            }
            set = new LinkedHashMap<>();
            peers.put(infoHash, set);
        }
        set.remove(peer);
        set.put(peer, now);
        while (set.size() > maxPerHash) {
            set.remove(set.keySet().iterator().next());
        }
        return true;
    }

    List<InetSocketAddress> peers(NodeId infoHash, long now) {
        LinkedHashMap<InetSocketAddress, Long> set = peers.get(infoHash);
        List<InetSocketAddress> out = new ArrayList<>();
        if (set != null) {
            for (Map.Entry<InetSocketAddress, Long> e : set.entrySet()) {
                if (now - e.getValue() < PEER_EXPIRE_MILLIS && out.size() < MAX_VALUES_PER_ANSWER) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    void expire(long now) {
        peers.values().forEach(set -> set.values().removeIf(t -> now - t >= PEER_EXPIRE_MILLIS));
        peers.values().removeIf(Map::isEmpty);
    }
}
