package io.restfs.blockstore.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The fixed header in front of every shard's payload: enough to check the shard on its own and to
 * decode its segment from any k shards without other metadata.
 *
 * <p>Layout, format version 1, 116 bytes, all integers big-endian and unsigned:
 * <pre>
 * offset size field
 *      0    4 magic "RFSS" (0x52 0x46 0x53 0x53)
 *      4    1 format version (1)
 *      5    1 flags: bit 0 policy compresses, bit 1 policy encrypts, bit 2 this segment is stored
 *             compressed (snappy saved at least 5%); other bits zero
 *      6    1 k, data shards (1..32)
 *      7    1 m, parity shards (0..16)
 *      8    1 shard index (0..k+m-1; indices below k hold data, the rest parity)
 *      9    3 reserved, zero
 *     12    4 policy segment size (1 KiB..64 MiB)
 *     16    4 segment plaintext length (&lt;= segment size)
 *     20    4 stored length: snappy-compressed length, or the plaintext length when not compressed
 *     24    4 ciphertext length: stored length plus a 16-byte tag per 64 KiB record when encrypted
 *     28    4 shard payload length: ceil(ciphertext length / k); the payload follows the header
 *     32   16 segment id
 *     48   32 SHA-256 of this shard's payload
 *     80   32 SHA-256 of the segment plaintext
 *    112    4 CRC-32C of bytes 0..111, so a damaged header is caught before its fields are trusted
 * </pre>
 * Parsing checks every field against these limits and against each other (the lengths must be the
 * ones the encoder would have produced), so no size read from a shard is used unchecked.
 */
public record ShardHeader(
        CodecPolicy policy,
        boolean compressed,
        int index,
        int plaintextLength,
        int storedLength,
        int ciphertextLength,
        int payloadLength,
        SegmentId segmentId,
        byte[] payloadHash,
        byte[] plaintextHash) {

    public static final int SIZE = 116;
    public static final int FORMAT_VERSION = 1;
    /** "RFSS": restfs shard. */
    static final int MAGIC = 0x52465353;
    static final int HASH_LENGTH = 32;

    static final int FLAG_POLICY_COMPRESS = 1;
    static final int FLAG_POLICY_ENCRYPT = 1 << 1;
    static final int FLAG_STORED_COMPRESSED = 1 << 2;
    private static final int KNOWN_FLAGS = FLAG_POLICY_COMPRESS | FLAG_POLICY_ENCRYPT | FLAG_STORED_COMPRESSED;
    private static final int CRC_OFFSET = 112;

    /** True if this shard holds data (index below k) rather than parity. */
    public boolean isDataShard() {
        return index < policy.k();
    }

    /** Flags byte as laid out on the wire; also bound into every record's AAD. */
    int flags() {
        return flags(policy, compressed);
    }

    static int flags(CodecPolicy policy, boolean compressed) {
        return (policy.compress() ? FLAG_POLICY_COMPRESS : 0)
                | (policy.encrypt() ? FLAG_POLICY_ENCRYPT : 0)
                | (compressed ? FLAG_STORED_COMPRESSED : 0);
    }

    /** Writes this header into {@code shard[0..SIZE)}. */
    void writeTo(byte[] shard) {
        ByteBuffer b = ByteBuffer.wrap(shard, 0, SIZE).order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC)
                .put((byte) FORMAT_VERSION)
                .put((byte) flags())
                .put((byte) policy.k())
                .put((byte) policy.m())
                .put((byte) index)
                .put((byte) 0).put((byte) 0).put((byte) 0)
                .putInt(policy.segmentSize())
                .putInt(plaintextLength)
                .putInt(storedLength)
                .putInt(ciphertextLength)
                .putInt(payloadLength)
                .put(segmentId.bytes())
                .put(payloadHash)
                .put(plaintextHash);
        CRC32C crc = new CRC32C();
        crc.update(shard, 0, CRC_OFFSET);
        b.putInt((int) crc.getValue());
    }

    /**
     * Reads and checks the header at the front of {@code shard} (header plus payload). Does not hash
     * the payload: {@link SegmentCodec} does that once it decides to use the shard.
     *
     * @throws MalformedShardException naming the first check that failed
     */
    public static ShardHeader parse(byte[] shard) {
        if (shard == null) {
            throw new MalformedShardException("shard is null");
        }
        if (shard.length < SIZE) {
            throw new MalformedShardException("shard is " + shard.length + " bytes, shorter than its "
                    + SIZE + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(shard, 0, SIZE).order(ByteOrder.BIG_ENDIAN);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new MalformedShardException("bad magic 0x" + Integer.toHexString(magic) + ", not a restfs shard");
        }
        CRC32C crc = new CRC32C();
        crc.update(shard, 0, CRC_OFFSET);
        int storedCrc = ByteBuffer.wrap(shard, CRC_OFFSET, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if ((int) crc.getValue() != storedCrc) {
            throw new MalformedShardException("header CRC-32C mismatch: header is damaged");
        }
        int version = b.get() & 0xff;
        if (version != FORMAT_VERSION) {
            throw new MalformedShardException("unsupported shard format version " + version
                    + " (this build reads version " + FORMAT_VERSION + ")");
        }
        int flags = b.get() & 0xff;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new MalformedShardException("unknown flag bits 0x" + Integer.toHexString(flags & ~KNOWN_FLAGS));
        }
        int k = b.get() & 0xff;
        int m = b.get() & 0xff;
        int index = b.get() & 0xff;
        for (int i = 0; i < 3; i++) {
            if (b.get() != 0) {
                throw new MalformedShardException("reserved header bytes are not zero");
            }
        }
        int segmentSize = b.getInt();
        CodecPolicy policy;
        try {
            policy = new CodecPolicy(k, m, segmentSize,
                    (flags & FLAG_POLICY_COMPRESS) != 0, (flags & FLAG_POLICY_ENCRYPT) != 0);
        } catch (InvalidPolicyException e) {
            throw new MalformedShardException("header carries " + e.getMessage());
        }
        boolean compressed = (flags & FLAG_STORED_COMPRESSED) != 0;
        if (compressed && !policy.compress()) {
            throw new MalformedShardException("segment marked compressed under a policy without compression");
        }
        if (index >= k + m) {
            throw new MalformedShardException("shard index " + index + " out of range for " + k + "+" + m);
        }
        int plaintextLength = b.getInt();
        int storedLength = b.getInt();
        int ciphertextLength = b.getInt();
        int payloadLength = b.getInt();
        if (plaintextLength < 0 || plaintextLength > segmentSize) {
            throw new MalformedShardException("plaintext length " + Integer.toUnsignedString(plaintextLength)
                    + " exceeds the segment size " + segmentSize);
        }
        if (compressed) {
            if (storedLength < 0 || !SegmentLayout.worthCompressing(plaintextLength, storedLength)) {
                throw new MalformedShardException("compressed length " + Integer.toUnsignedString(storedLength)
                        + " is not at least 5% below the plaintext length " + plaintextLength);
            }
        } else if (storedLength != plaintextLength) {
            throw new MalformedShardException("stored length " + Integer.toUnsignedString(storedLength)
                    + " differs from plaintext length " + plaintextLength + " of an uncompressed segment");
        }
        int expectedCiphertext = SegmentLayout.ciphertextLength(storedLength, policy.encrypt());
        if (ciphertextLength != expectedCiphertext) {
            throw new MalformedShardException("ciphertext length " + Integer.toUnsignedString(ciphertextLength)
                    + " should be " + expectedCiphertext);
        }
        int expectedPayload = SegmentLayout.payloadLength(ciphertextLength, k);
        if (payloadLength != expectedPayload) {
            throw new MalformedShardException("payload length " + Integer.toUnsignedString(payloadLength)
                    + " should be " + expectedPayload);
        }
        if (shard.length != SIZE + payloadLength) {
            throw new MalformedShardException("shard is " + shard.length + " bytes, header says "
                    + (SIZE + payloadLength));
        }
        byte[] id = new byte[SegmentId.LENGTH];
        b.get(id);
        byte[] payloadHash = new byte[HASH_LENGTH];
        b.get(payloadHash);
        byte[] plaintextHash = new byte[HASH_LENGTH];
        b.get(plaintextHash);
        return new ShardHeader(policy, compressed, index, plaintextLength, storedLength, ciphertextLength,
                payloadLength, SegmentId.of(id), payloadHash, plaintextHash);
    }

    /** True if {@code other} describes the same segment (everything but index and payload hash agrees). */
    boolean sameSegmentAs(ShardHeader other) {
        return policy.equals(other.policy)
                && compressed == other.compressed
                && plaintextLength == other.plaintextLength
                && storedLength == other.storedLength
                && segmentId.equals(other.segmentId)
                && Arrays.equals(plaintextHash, other.plaintextHash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardHeader h && sameSegmentAs(h) && index == h.index
                && Arrays.equals(payloadHash, h.payloadHash);
    }

    @Override
    public int hashCode() {
        return segmentId.hashCode() * 31 + index;
    }

    @Override
    public String toString() {
        return "ShardHeader[segment=" + segmentId + ", policy=" + policy + ", index=" + index
                + ", plaintext=" + plaintextLength + ", stored=" + storedLength + (compressed ? " (snappy)" : "")
                + ", ciphertext=" + ciphertextLength + ", payload=" + payloadLength
                + ", payloadSha256=" + HexFormat.of().formatHex(payloadHash) + "]";
    }
}
