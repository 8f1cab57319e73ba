package io.restfs.api;

import java.util.List;

/** JSON-RPC service {@code segment}: one segment's bytes and where its shards live. */
public interface SegmentApi {
    /** The plaintext of segment {@code index} of an object version (newest when null). */
    byte[] get(String bucket, String path, Long version, int index);

    /** Where every segment of an object version lives. */
    List<SegmentInfo> locations(String bucket, String path, Long version);
}
