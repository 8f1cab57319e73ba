package io.restfs.node.transfer;

import java.net.InetSocketAddress;
import java.util.Optional;

import io.restfs.dht.id.NodeId;

/**
 * Where to send a request: a node's transfer address and, when the caller knows it (from the DHT),
 * the node id the peer must prove, so that whoever answers on that address can't pose as another node.
 */
public record TransferPeer(InetSocketAddress address, Optional<NodeId> pinnedNodeId) {

    public TransferPeer {
        if (address == null || pinnedNodeId == null) {
            throw new IllegalArgumentException("address is required (pinned node id may be empty)");
        }
    }

    /** Any member of the cluster answering at {@code address}. */
    public static TransferPeer at(InetSocketAddress address) {
        return new TransferPeer(address, Optional.empty());
    }

    /** Only node {@code nodeId} at {@code address}. */
    public static TransferPeer pinned(InetSocketAddress address, NodeId nodeId) {
        if (nodeId == null) {
            throw new IllegalArgumentException("node id is required");
        }
        return new TransferPeer(address, Optional.of(nodeId));
    }

    @Override
    public String toString() {
        return address + pinnedNodeId.map(id -> " (must be node " + id + ")").orElse("");
    }
}
