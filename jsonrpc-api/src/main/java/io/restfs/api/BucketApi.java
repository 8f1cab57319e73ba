package io.restfs.api;

import java.util.List;

/** JSON-RPC service {@code bucket}: methods {@code bucket.create}, {@code bucket.list}, ... */
public interface BucketApi {
    /** Creates a bucket with its own policy and a fresh encryption key; needs admin. */
    BucketInfo create(String name, BucketPolicy policy);

    /** The buckets the caller's token may read. */
    List<BucketInfo> list();

    BucketInfo info(String name);

    /** Deletes an empty bucket ({@link ErrorCode#NOT_EMPTY} otherwise); needs admin. */
    void delete(String name);
}
