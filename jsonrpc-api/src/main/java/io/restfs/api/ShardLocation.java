package io.restfs.api;

/** Where one shard of a segment lives: its index (data shards first), holder and hash. */
public record ShardLocation(int index, String nodeId, String address, String group, String sha256) {
}
