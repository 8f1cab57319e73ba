package io.restfs.blockstore.codec;

/**
 * An AES-GCM record failed its tag check: the bucket key is wrong, or the ciphertext, its order or its
 * length was tampered with. No plaintext from the segment is returned.
 */
public final class SegmentAuthenticationException extends SegmentDecodeException {
    private static final long serialVersionUID = 1L;

    private final int recordIndex;

    SegmentAuthenticationException(SegmentId segmentId, int recordIndex, Throwable cause) {
        super(segmentId, "record " + recordIndex
                + " failed authentication (wrong bucket key, or the ciphertext was altered)", cause);
        this.recordIndex = recordIndex;
    }

    public int recordIndex() {
        return recordIndex;
    }
}
