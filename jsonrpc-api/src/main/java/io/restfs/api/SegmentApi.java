package io.restfs.api;

import java.util.List;

/** JSON-RPC service {@code segment}: one segment's bytes and where its shards live. */
public interface SegmentApi {
    /**
     * The plaintext of segment {@code index} of an object version (newest when null); {@link ErrorCode#TOO_LARGE} for
     * a segment over {@link Limits#MAX_INLINE_BODY_BYTES} (read its range from the streaming endpoint instead).
     */
    byte[] get(String bucket, String path, Long version, int index);

    /**
     * Replaces segment {@code index} of a file's newest version with {@code data}, or appends it when {@code index}
     * is the file's segment count, and writes the result as a new version (the old ones stay readable). The other
     * segments are kept as they are stored; only the new one is encoded and placed. Rules, with the bucket's
     * {@link BucketPolicy#segmentSize()} as S:
     * <ul>
     *   <li>a segment before the last must be exactly S bytes; the last may be 1 to S bytes;</li>
     *   <li>appending (index = segment count) needs the current last segment to hold exactly S bytes, so a file
     *       stays cut at multiples of S (an empty file takes segment 0);</li>
     *   <li>the file must exist (create it with {@link ObjectApi#put}) and be a file, not a directory.</li>
     * </ul>
     * With {@code expectedVersion} set, the write succeeds only if the file's current version is that one, else
     * {@link ErrorCode#CONFLICT}; without it, a write that races another one is applied on top of the winner.
     *
     * <p>The new version's {@link ObjectInfo#sha256()} is known only when it has a single segment: over more, it is
     * empty (hashing the whole file would mean reading every segment); each segment's shards and encryption records
     * are still checked on every read. Errors: {@link ErrorCode#NOT_FOUND} (no such bucket or file),
     * {@link ErrorCode#INVALID_PARAMS} (a directory, an index out of range, a length the rules above refuse, no data),
     * {@link ErrorCode#TOO_LARGE} (more than S or {@link Limits#MAX_INLINE_BODY_BYTES} bytes, or an append past the
     * most segments a file may have),
     * {@link ErrorCode#CONFLICT}.
     *
     * @return the new version
     */
    ObjectInfo put(String bucket, String path, int index, byte[] data, Long expectedVersion);

    /** Where every segment of an object version lives. */
    List<SegmentInfo> locations(String bucket, String path, Long version);
}
