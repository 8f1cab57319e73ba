package io.restfs.blockstore.codec;

/**
 * The segment decoded, but what came out is not what was stored: the plaintext hash differs, or the
 * compressed bytes are not valid snappy. Seen only without encryption or with forged shard headers.
 */
public final class SegmentIntegrityException extends SegmentDecodeException {
    private static final long serialVersionUID = 1L;

    SegmentIntegrityException(SegmentId segmentId, String message, Throwable cause) {
        super(segmentId, message, cause);
    }
}
