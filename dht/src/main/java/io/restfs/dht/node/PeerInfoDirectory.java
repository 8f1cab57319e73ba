package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.RestfsNodeInfo;

import java.util.Optional;
import java.util.TreeMap;

/** The verified restfs_info of peers, by node id; bounded, dropping the highest ids first when full. */
final class PeerInfoDirectory {
    private final int max;
    private final TreeMap<NodeId, RestfsNodeInfo> infos = new TreeMap<>();

    PeerInfoDirectory(int max) {
        this.max = max;
    }

    void put(NodeId id, RestfsNodeInfo info) {
        infos.put(id, info);
        while (infos.size() > max) {
            infos.pollLastEntry();
        }
    }

    Optional<RestfsNodeInfo> get(NodeId id) {
        return Optional.ofNullable(infos.get(id));
    }

    void remove(NodeId id) {
        infos.remove(id);
    }
}
