package io.restfs.blockstore.codec;

import java.util.List;

/** The shards fetched for one segment of an object (any k or more of them, in any order), for decoding. */
public record SegmentShards(SegmentId id, List<byte[]> shards) {
    public SegmentShards {
        shards = List.copyOf(shards);
    }

    public static SegmentShards of(EncodedSegment segment) {
        return new SegmentShards(segment.id(), segment.shardBytes());
    }
}
