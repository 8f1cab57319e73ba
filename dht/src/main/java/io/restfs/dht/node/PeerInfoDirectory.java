package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.RestfsNodeInfo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The verified restfs_info of peers, by node id; bounded, forgetting the least recently used first (a forgotten
 * peer is asked again when it is needed). Access order depends only on the calls made, so eviction is
 * deterministic.
 */
final class PeerInfoDirectory {
    private final int max;
    private final LinkedHashMap<NodeId, RestfsNodeInfo> infos;

    PeerInfoDirectory(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("peer info bound must be positive, got " + max);
        }
        this.max = max;
        this.infos = new LinkedHashMap<>(Math.min(max, 64), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<NodeId, RestfsNodeInfo> eldest) {
                return size() > PeerInfoDirectory.this.max;
            }
        };
    }

    void put(NodeId id, RestfsNodeInfo info) {
        infos.put(id, info);
    }

    Optional<RestfsNodeInfo> get(NodeId id) {
        return Optional.ofNullable(infos.get(id));
    }

    void remove(NodeId id) {
        infos.remove(id);
    }

    int size() {
        return infos.size();
    }
}
