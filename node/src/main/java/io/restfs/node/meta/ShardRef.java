package io.restfs.node.meta;

import java.util.Objects;
import java.util.Optional;

import io.restfs.blockstore.store.Sha256;
import io.restfs.dht.id.NodeId;

/**
 * One shard of a stored segment: its index, the SHA-256 of its full bytes (the content address it is stored
 * under and checked against on every read) and the node it was written to (a hint: a reader falls back to XOR
 * placement when that node does not answer).
 */
public record ShardRef(int index, Sha256 sha256, Optional<NodeId> holder) {
    public ShardRef {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(holder, "holder");
        if (index < 0) {
            throw new IllegalArgumentException("shard index must be >= 0: " + index);
        }
    }
}
