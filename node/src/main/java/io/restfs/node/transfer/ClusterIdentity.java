package io.restfs.node.transfer;

import java.util.Arrays;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;

/**
 * What a node proves in the transfer handshake: it holds its node key (whose SHA-1 is its node id)
 * and the cluster key every node of the cluster shares.
 *
 * @param nodeKey    this node's Ed25519 key
 * @param clusterKey the cluster's shared secret, {@link #CLUSTER_KEY_BYTES} bytes
 */
public record ClusterIdentity(Ed25519KeyPair nodeKey, byte[] clusterKey) {

    /** A 256-bit secret: the HMAC-SHA256 key size that gives its full strength. */
    public static final int CLUSTER_KEY_BYTES = 32;

    public ClusterIdentity {
        if (nodeKey == null) {
            throw new IllegalArgumentException("node key is required");
        }
        if (clusterKey == null || clusterKey.length != CLUSTER_KEY_BYTES) {
            throw new IllegalArgumentException("cluster key must be " + CLUSTER_KEY_BYTES + " bytes, got "
                    + (clusterKey == null ? "null" : clusterKey.length));
        }
        clusterKey = clusterKey.clone();
    }

    @Override
    public byte[] clusterKey() {
        return clusterKey.clone();
    }

    public NodeId nodeId() {
        return nodeKey.nodeId();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterIdentity c && Arrays.equals(nodeKey.publicKey(), c.nodeKey.publicKey())
                && Arrays.equals(clusterKey, c.clusterKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nodeKey.publicKey());
    }

    @Override
    public String toString() {
        // Never print the cluster key.
        return "ClusterIdentity[node=" + nodeId() + "]";
    }
}
