package io.restfs.blockstore.codec;

/**
 * The arithmetic shared by encoder, decoder and header checks: how many AES-GCM records a segment's
 * stored bytes make, how long the ciphertext is, and how it is cut into k equal shard payloads.
 */
final class SegmentLayout {
    /**
     * Plaintext bytes per AES-GCM record. The JDK's GCM intrinsic runs at about 3.5 GB/s for 64 KiB
     * per doFinal and falls to 0.07 GB/s at 4 MiB (DESIGN.md, Performance facts), so records stay small.
     */
    static final int RECORD_SIZE = 64 << 10;
    /** The GCM authentication tag: the full 128 bits. */
    static final int TAG_LENGTH = 16;
    /** A GCM nonce of 96 bits, the size GCM handles without an extra GHASH pass (NIST SP 800-38D). */
    static final int NONCE_LENGTH = 12;
    /** Segments compress only when snappy saves at least 5%: {@code stored * 100 <= plain * 95}. */
    static final int COMPRESSION_KEEP_PERCENT = 95;

    private SegmentLayout() {
    }

    /** Records of an encrypted segment; an empty one still has one (empty) record, so its tag proves it is empty. */
    static int recordCount(int storedLength) {
        return storedLength == 0 ? 1 : (int) (((long) storedLength + RECORD_SIZE - 1) / RECORD_SIZE);
    }

    static int ciphertextLength(int storedLength, boolean encrypt) {
        if (!encrypt) {
            return storedLength;
        }
        long n = (long) storedLength + (long) recordCount(storedLength) * TAG_LENGTH;
        return Math.toIntExact(n);
    }

    static int payloadLength(int ciphertextLength, int k) {
        return (int) (((long) ciphertextLength + k - 1) / k);
    }

    static boolean worthCompressing(int plainLength, int compressedLength) {
        return (long) compressedLength * 100 <= (long) plainLength * COMPRESSION_KEEP_PERCENT;
    }
}
