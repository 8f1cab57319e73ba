package io.restfs.api;

import java.util.List;

/**
 * JSON-RPC service {@code object}. Bodies sent inline are base64 in JSON and limited in size
 * ({@link Limits#MAX_INLINE_BODY_BYTES}); larger ones go through the streaming HTTP endpoint
 * ({@code PUT/GET /o/{bucket}/{path}}, with Range on GET).
 */
public interface ObjectApi {
    /**
     * Writes a new version of a file. With {@code expectedVersion} set, the write succeeds only if the
     * object's current version is that one (0: the object must not exist), else {@link ErrorCode#CONFLICT}.
     */
    ObjectInfo put(String bucket, String path, byte[] data, Long expectedVersion);

    /** The content of {@code version}, or of the newest one when it is null. */
    byte[] get(String bucket, String path, Long version);

    ObjectInfo stat(String bucket, String path, Long version);

    /** The entries of a directory, sorted by name. */
    List<DirEntry> list(String bucket, String path);

    ObjectInfo mkdir(String bucket, String path);

    /** Moves a file or an empty directory; the target must not exist. */
    ObjectInfo rename(String bucket, String from, String to);

    /** Deletes a file (recorded as a deleted version) or an empty directory. */
    void delete(String bucket, String path);

    /** The object's versions, newest first. */
    List<ObjectVersion> versions(String bucket, String path);
}
