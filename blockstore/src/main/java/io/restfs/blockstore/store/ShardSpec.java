package io.restfs.blockstore.store;

import java.nio.charset.StandardCharsets;

/**
 * What a writer says about a shard it hands over: where to store it, the hash it must have, and
 * which segment it belongs to.
 *
 * @param key        the name to store it under
 * @param sha256     the hash the bytes must have; checked before the shard becomes visible
 * @param segmentId  the segment it is a piece of, in whatever text form the caller uses
 *                   (empty when unknown, as for a shard re-indexed from its file alone)
 * @param shardIndex its index among the segment's k+m shards, or {@link #UNKNOWN_INDEX}
 * @param version    the caller's version number for the shard (kept, not interpreted)
 */
public record ShardSpec(ShardKey key, Sha256 sha256, String segmentId, int shardIndex, long version) {

    public static final int UNKNOWN_INDEX = -1;

    /** Longest segment id kept, in UTF-8 bytes: a hex SHA-512 (128) plus room for a bucket prefix. */
    public static final int MAX_SEGMENT_ID_BYTES = 256;

    public ShardSpec {
        if (key == null || sha256 == null || segmentId == null) {
            throw new IllegalArgumentException("key, sha256 and segmentId are required (segmentId may be empty)");
        }
        int idBytes = segmentId.getBytes(StandardCharsets.UTF_8).length;
        if (idBytes > MAX_SEGMENT_ID_BYTES) {
            throw new IllegalArgumentException("segment id is " + idBytes + " bytes, limit " + MAX_SEGMENT_ID_BYTES);
        }
        if (shardIndex < UNKNOWN_INDEX) {
            throw new IllegalArgumentException("shard index must be >= 0 (or -1 for unknown): " + shardIndex);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0: " + version);
        }
    }

    /** A content-addressed shard: its key is its hash. */
    public static ShardSpec contentAddressed(Sha256 sha256, String segmentId, int shardIndex, long version) {
        return new ShardSpec(ShardKey.of(sha256), sha256, segmentId, shardIndex, version);
    }
}
