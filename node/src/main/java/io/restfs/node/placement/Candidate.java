package io.restfs.node.placement;

import java.net.InetSocketAddress;
import java.util.Objects;

import io.restfs.dht.id.NodeId;

/**
 * A node that may receive shards, as placement weighs it.
 *
 * @param id           its DHT node id, the point XOR distance is measured from
 * @param shardAddress where its shard-transfer server listens
 * @param group        its failure group (shards of one segment go to distinct groups first)
 * @param freeBytes    free capacity it last advertised
 * @param local        true for the node doing the placing: its shards are stored without the network
 */
public record Candidate(NodeId id, InetSocketAddress shardAddress, String group, long freeBytes, boolean local) {
    public Candidate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(shardAddress, "shardAddress");
        Objects.requireNonNull(group, "group");
    }
}
