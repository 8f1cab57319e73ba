package io.restfs.node.rpc;

import io.restfs.api.ObjectInfo;
import io.restfs.api.RestfsException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Object bodies as streams, for the HTTP endpoint {@code /o/{bucket}/{path}}: bodies larger than a JSON-RPC request
 * may carry, never held whole in memory. The storage service implements it beside the four API interfaces.
 */
public interface ObjectStreams {
    /**
     * Writes a new version of a file from exactly {@code length} bytes of {@code body}, like
     * {@link io.restfs.api.ObjectApi#put}: {@code expectedVersion} non-null asks for a compare-and-swap. A body that
     * ends before {@code length} bytes is {@link io.restfs.api.ErrorCode#INVALID_PARAMS} and stores nothing.
     *
     * @throws RestfsException for every refusal, with its error code
     * @throws IOException     when reading the body fails (the client went away)
     */
    ObjectInfo put(String bucket, String path, InputStream body, long length, Long expectedVersion) throws IOException;

    /**
     * Writes {@code length} bytes of the content of {@code version} (newest when null), starting at byte
     * {@code offset}, to {@code out}. The caller has checked the range against the object's size (from stat).
     *
     * @throws RestfsException for every refusal, with its error code
     * @throws IOException     when writing to {@code out} fails (the client went away)
     */
    void get(String bucket, String path, Long version, long offset, long length, OutputStream out) throws IOException;
}
