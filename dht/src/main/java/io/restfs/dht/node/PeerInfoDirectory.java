package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.RestfsNodeInfo;
import io.restfs.dht.util.LruSlots;

import java.util.Arrays;
import java.util.Optional;

/**
 * The verified restfs_info of peers, by node id; bounded, forgetting the least recently used first (a forgotten
 * peer is asked again when it is needed). Access order depends only on the calls made, so eviction is
 * deterministic. The ids sit in an {@link LruSlots} table as three longs each, the infos in an array by slot.
 */
final class PeerInfoDirectory {
    private final LruSlots ids;
    private RestfsNodeInfo[] infos;

    /** @param hashKey a secret of the node's: ids come from peers, who must not choose colliding ones */
    PeerInfoDirectory(int max, long hashKey) {
        if (max < 1) {
            throw new IllegalArgumentException("peer info bound must be positive, got " + max);
        }
        this.ids = new LruSlots(max, hashKey);
        this.infos = new RestfsNodeInfo[ids.capacity()];
    }

    void put(NodeId id, RestfsNodeInfo info) {
        int slot = find(id);
        if (slot == LruSlots.NONE) {
            slot = ids.add(id.prefix(), id.middle(), id.last());
            if (slot >= infos.length) {
                infos = Arrays.copyOf(infos, ids.capacity());
            }
        } else {
            ids.touch(slot);
        }
        infos[slot] = info;
    }

    Optional<RestfsNodeInfo> get(NodeId id) {
        int slot = find(id);
        if (slot == LruSlots.NONE) {
            return Optional.empty();
        }
        ids.touch(slot);
        return Optional.of(infos[slot]);
    }

    void remove(NodeId id) {
        int slot = find(id);
        if (slot != LruSlots.NONE) {
            ids.remove(slot);
            infos[slot] = null;
        }
    }

    int size() {
        return ids.size();
    }

    private int find(NodeId id) {
        return ids.find(id.prefix(), id.middle(), id.last());
    }
}
