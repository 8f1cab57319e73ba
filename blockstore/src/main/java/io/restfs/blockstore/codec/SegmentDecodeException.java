package io.restfs.blockstore.codec;

/**
 * A segment could not be decoded. The subtypes are the kinds of failure a reader handles differently:
 * fetch more shards ({@link NotEnoughShardsException}), treat the key or the data as tampered with
 * ({@link SegmentAuthenticationException}), or report the stored segment as damaged
 * ({@link SegmentIntegrityException}).
 */
public abstract sealed class SegmentDecodeException extends RuntimeException
        permits NotEnoughShardsException, SegmentAuthenticationException, SegmentIntegrityException {
    private static final long serialVersionUID = 1L;

    private final transient SegmentId segmentId;

    SegmentDecodeException(SegmentId segmentId, String message, Throwable cause) {
        super("segment " + segmentId + ": " + message, cause);
        this.segmentId = segmentId;
    }

    public SegmentId segmentId() {
        return segmentId;
    }
}
