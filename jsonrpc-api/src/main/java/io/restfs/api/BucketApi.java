package io.restfs.api;

import java.util.List;

import static io.restfs.api.ErrorCode.ALREADY_EXISTS;
import static io.restfs.api.ErrorCode.CONFLICT;
import static io.restfs.api.ErrorCode.INSUFFICIENT_NODES;
import static io.restfs.api.ErrorCode.INTEGRITY;
import static io.restfs.api.ErrorCode.NOT_EMPTY;
import static io.restfs.api.ErrorCode.NOT_FOUND;
import static io.restfs.api.ErrorCode.UNAVAILABLE;

/** JSON-RPC service {@code bucket}: methods {@code bucket.create}, {@code bucket.list}, ... */
public interface BucketApi {
    @MethodDoc(summary = "Creates a bucket with its own storage policy and a fresh encryption key.",
            description = "Needs an admin token. The policy is fixed for the bucket's life. INSUFFICIENT_NODES"
                    + " when the cluster has fewer live nodes than a metadata record needs (3).",
            result = "The new bucket, with its root directory created and no objects.",
            errors = {ALREADY_EXISTS, CONFLICT, INSUFFICIENT_NODES, UNAVAILABLE})
    BucketInfo create(@ParamDoc("The bucket's name: 3 to 63 characters of a-z, 0-9 and '-', starting and ending"
            + " with a letter or digit, so it appears in URLs and topics unescaped.") String name,
                      @ParamDoc("Reed-Solomon k (1 to 32) and m (0 to 16), segment size (1 KiB to 64 MiB),"
                              + " compression, encryption and whether one node may hold several shards of a"
                              + " segment when nodes are fewer than k+m.") BucketPolicy policy);

    @MethodDoc(summary = "Lists the buckets the caller's token may read.",
            description = "Buckets the token has no read rights on are left out, not refused.",
            result = "The readable buckets with their policies, object counts and stored bytes.",
            errors = {UNAVAILABLE, INTEGRITY})
    List<BucketInfo> list();

    @MethodDoc(summary = "Describes one bucket.",
            description = "The object count walks at most 1,000 directories; a larger bucket reports a lower"
                    + " bound.",
            result = "The bucket's policy, creation time, object count and stored bytes.",
            errors = {NOT_FOUND, UNAVAILABLE, INTEGRITY})
    BucketInfo info(@ParamDoc("The bucket's name.") String name);

    @MethodDoc(summary = "Deletes an empty bucket.",
            description = "Needs an admin token. A bucket holding any object is refused with NOT_EMPTY; delete"
                    + " its objects first.",
            result = "Null once the bucket is gone.",
            errors = {NOT_FOUND, NOT_EMPTY, CONFLICT, INSUFFICIENT_NODES, UNAVAILABLE, INTEGRITY})
    void delete(@ParamDoc("The bucket's name.") String name);
}
