package io.restfs.api;

import java.util.List;

/** One segment of an object version: its id, length and the k+m shards that hold it. */
public record SegmentInfo(int index, String segmentId, long offset, int length, List<ShardLocation> shards) {
    public SegmentInfo {
        shards = List.copyOf(shards);
    }
}
