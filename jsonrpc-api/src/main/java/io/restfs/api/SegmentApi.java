package io.restfs.api;

import java.util.List;

import static io.restfs.api.ErrorCode.CAPACITY_EXCEEDED;
import static io.restfs.api.ErrorCode.CONFLICT;
import static io.restfs.api.ErrorCode.INSUFFICIENT_NODES;
import static io.restfs.api.ErrorCode.INTEGRITY;
import static io.restfs.api.ErrorCode.NOT_FOUND;
import static io.restfs.api.ErrorCode.TOO_LARGE;
import static io.restfs.api.ErrorCode.UNAVAILABLE;

/** JSON-RPC service {@code segment}: one segment's bytes and where its shards live. */
public interface SegmentApi {
    @MethodDoc(summary = "Reads one segment of a file version.",
            description = "A segment over 16 MiB is refused with TOO_LARGE, naming the byte range to read from"
                    + " the streaming endpoint GET /o/{bucket}/{path} instead. An index beyond the version's"
                    + " segments is INVALID_PARAMS.",
            result = "The segment's plaintext, base64.",
            errors = {NOT_FOUND, TOO_LARGE, UNAVAILABLE, INTEGRITY})
    byte[] get(@ParamDoc("The bucket's name.") String bucket,
               @ParamDoc("Absolute path of the file.") String path,
               @ParamDoc("Optional: the file version; the newest when left out.") Long version,
               @ParamDoc("The segment's index, from 0.") int index);

    /**
     * The new version's {@link ObjectInfo#sha256()} is known only when it has a single segment: over more, it is
     * empty (hashing the whole file would mean reading every segment); each segment's shards and encryption records
     * are still checked on every read.
     */
    @MethodDoc(summary = "Replaces or appends one segment of a file, writing a new version.",
            description = "Replaces segment index of the file's newest version with data, or appends it when index"
                    + " is the file's segment count; the other segments are kept as stored and only the new one is"
                    + " encoded and placed; the old versions stay readable. With the bucket's segment size as S:"
                    + " a segment before the last must be exactly S bytes and the last 1 to S bytes; appending"
                    + " needs the current last segment to hold exactly S bytes (an empty file takes segment 0);"
                    + " the file must exist (create it with object.put) and be a file. INVALID_PARAMS for a"
                    + " directory, an index out of range, a length these rules refuse or no data; TOO_LARGE for"
                    + " more than S or 16 MiB bytes or an append past the most segments a file may have. With"
                    + " expectedVersion set the write succeeds only if the file's current version is that one,"
                    + " else CONFLICT; without it a write racing another is applied on top of the winner. The new"
                    + " version's sha256 is empty when it has more than one segment.",
            result = "The new version's attributes.",
            errors = {NOT_FOUND, CONFLICT, TOO_LARGE, INSUFFICIENT_NODES, CAPACITY_EXCEEDED, UNAVAILABLE, INTEGRITY})
    ObjectInfo put(@ParamDoc("The bucket's name.") String bucket,
                   @ParamDoc("Absolute path of an existing file.") String path,
                   @ParamDoc("The segment to replace, or the file's segment count to append one.") int index,
                   @ParamDoc("The segment's new content, base64: 1 to S bytes.") byte[] data,
                   @ParamDoc("Optional: the version the caller expects to replace; a different current version"
                           + " fails with CONFLICT.") Long expectedVersion);

    @MethodDoc(summary = "Where every segment of a file version lives.",
            description = "Per segment: its id, offset, length and its k+m shards (data shards first), each with"
                    + " the holding node's id, address, failure group and the shard's SHA-256.",
            result = "The version's segments in order.",
            errors = {NOT_FOUND, UNAVAILABLE, INTEGRITY})
    List<SegmentInfo> locations(@ParamDoc("The bucket's name.") String bucket,
                                @ParamDoc("Absolute path of the file.") String path,
                                @ParamDoc("Optional: the file version; the newest when left out.") Long version);
}
