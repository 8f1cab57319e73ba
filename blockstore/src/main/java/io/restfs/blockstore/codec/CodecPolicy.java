package io.restfs.blockstore.codec;

/**
 * How a bucket's segments are encoded: Reed-Solomon {@code k} data + {@code m} parity shards, the
 * segment size objects are cut into, and whether segments are snappy-compressed and encrypted.
 *
 * <p>A policy of 1+0 with compression and encryption off stores a segment's bytes as they are (one
 * shard whose payload is the plaintext).
 */
public record CodecPolicy(int k, int m, int segmentSize, boolean compress, boolean encrypt) {
    /** Backblaze's coder works over GF(2^8) (up to 256 shards); 32+16 keeps headers and fan-out sane. */
    public static final int MAX_DATA_SHARDS = 32;
    public static final int MAX_PARITY_SHARDS = 16;
    /** The RestFS default segment size (DESIGN.md: "default 4 MiB"). */
    public static final int DEFAULT_SEGMENT_SIZE = 4 << 20;
    /** Below 1 KiB the 116-byte shard headers would outweigh the data they describe. */
    public static final int MIN_SEGMENT_SIZE = 1 << 10;
    /**
     * A segment and its k+m shards are held in memory by one worker thread at a time; 64 MiB (16 times
     * the default) bounds that to a few hundred MiB per core and keeps every length an int.
     */
    public static final int MAX_SEGMENT_SIZE = 64 << 20;

    /** 4+2 over 4 MiB segments, compressed and encrypted: the bucket default. */
    public static final CodecPolicy DEFAULT = new CodecPolicy(4, 2, DEFAULT_SEGMENT_SIZE, true, true);

    public CodecPolicy {
        if (k < 1 || k > MAX_DATA_SHARDS) {
            throw new InvalidPolicyException("k", k, "data shards must be 1.." + MAX_DATA_SHARDS);
        }
        if (m < 0 || m > MAX_PARITY_SHARDS) {
            throw new InvalidPolicyException("m", m, "parity shards must be 0.." + MAX_PARITY_SHARDS);
        }
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new InvalidPolicyException("segmentSize", segmentSize,
                    "segment size must be " + MIN_SEGMENT_SIZE + ".." + MAX_SEGMENT_SIZE + " bytes");
        }
    }

    /** k+m over the default segment size, compressed and encrypted. */
    public static CodecPolicy of(int k, int m) {
        return new CodecPolicy(k, m, DEFAULT_SEGMENT_SIZE, true, true);
    }

    /** 1+0, no compression, no encryption: the shard payload is the segment's bytes. */
    public static CodecPolicy plain(int segmentSize) {
        return new CodecPolicy(1, 0, segmentSize, false, false);
    }

    public CodecPolicy withSegmentSize(int size) {
        return new CodecPolicy(k, m, size, compress, encrypt);
    }

    public int totalShards() {
        return k + m;
    }

    @Override
    public String toString() {
        return k + "+" + m + "/" + segmentSize + (compress ? "/snappy" : "") + (encrypt ? "/aes-gcm" : "");
    }
}
