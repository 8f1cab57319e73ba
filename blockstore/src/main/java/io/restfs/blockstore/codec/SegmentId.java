package io.restfs.blockstore.codec;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 128-bit identity of one encoded segment. It names the segment's shards and, with the bucket key,
 * fixes the encryption key and nonces of its records, so it must be unique per bucket key: the API
 * expects a fresh random id ({@link #random}) for every segment written, kept in the manifest. Ids
 * derived from (object, version, index) are not used because a retried write of the same version
 * with different bytes would then reuse nonces.
 */
public final class SegmentId implements Comparable<SegmentId> {
    public static final int LENGTH = 16;

    private final byte[] bytes;

    private SegmentId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SegmentId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a segment id is " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        return new SegmentId(bytes.clone());
    }

    public static SegmentId random(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new SegmentId(b);
    }

    public static SegmentId fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    byte[] bytes() {
        return bytes;
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(SegmentId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
