package io.restfs.blockstore.codec;

import java.util.List;

/**
 * The shards fetched for one segment of an object (any k or more of them, in any order), for decoding,
 * with the payload hashes the manifest lists for the segment (k+m, in index order) or null to trust
 * the shard headers alone.
 */
public record SegmentShards(SegmentId id, List<byte[]> shards, List<byte[]> manifestHashes) {
    public SegmentShards {
        shards = List.copyOf(shards);
        manifestHashes = manifestHashes == null ? null : List.copyOf(manifestHashes);
    }

    public SegmentShards(SegmentId id, List<byte[]> shards) {
        this(id, shards, null);
    }

    /** All shards of a freshly encoded segment, with its shard hashes as the manifest would list them. */
    public static SegmentShards of(EncodedSegment segment) {
        return new SegmentShards(segment.id(), segment.shardBytes(),
                segment.shards().stream().map(Shard::payloadHash).toList());
    }
}
