package io.restfs.blockstore.codec;

import java.util.HexFormat;
import java.util.List;

/**
 * A segment after encoding: its k+m shards in index order (data first, then parity), and what the
 * manifest records about it.
 */
public record EncodedSegment(
        SegmentId id,
        CodecPolicy policy,
        int plaintextLength,
        boolean compressed,
        byte[] plaintextHash,
        List<Shard> shards) {

    public EncodedSegment {
        shards = List.copyOf(shards);
    }

    /** The shards' full bytes (header and payload), in index order: what {@link SegmentCodec#decode} takes. */
    public List<byte[]> shardBytes() {
        return shards.stream().map(Shard::bytes).toList();
    }

    /** Bytes of all shards together, headers included: what storing this segment costs. */
    public long storedBytes() {
        long n = 0;
        for (Shard s : shards) {
            n += s.bytes().length;
        }
        return n;
    }

    @Override
    public String toString() {
        return "EncodedSegment[id=" + id + ", policy=" + policy + ", plaintext=" + plaintextLength
                + (compressed ? " (snappy)" : "") + ", sha256=" + HexFormat.of().formatHex(plaintextHash)
                + ", shards=" + shards.size() + "]";
    }
}
