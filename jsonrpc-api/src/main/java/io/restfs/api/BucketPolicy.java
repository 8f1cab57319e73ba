package io.restfs.api;

/**
 * How a bucket stores its objects: Reed-Solomon k+m, segment size, compression and encryption, and
 * whether a node may hold more than one shard of a segment when the cluster has fewer than k+m nodes.
 *
 * @param k              data shards per segment, 1 to 32
 * @param m              parity shards per segment, 0 to 16: up to m shards of a segment may be lost
 * @param segmentSize    bytes per segment, 1 KiB to 64 MiB (default 4 MiB)
 * @param compress       snappy, kept only where it saves at least 5%
 * @param encrypt        AES-256-GCM with the bucket's key
 * @param allowDoubleUp  place several shards of one segment on one node when nodes are too few
 */
public record BucketPolicy(int k, int m, int segmentSize, boolean compress, boolean encrypt, boolean allowDoubleUp) {
    public static final int DEFAULT_SEGMENT_SIZE = 4 << 20;

    public static BucketPolicy of(int k, int m) {
        return new BucketPolicy(k, m, DEFAULT_SEGMENT_SIZE, true, true, false);
    }

    public static BucketPolicy defaults() {
        return of(4, 2);
    }
}
