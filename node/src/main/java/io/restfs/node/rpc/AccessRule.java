package io.restfs.node.rpc;

import io.restfs.node.auth.Right;

/** What a method asks of the caller's token. */
public sealed interface AccessRule {
    /** Any valid token. */
    record AnyToken() implements AccessRule {
    }

    /** A token with admin rights. */
    record Admin() implements AccessRule {
    }

    /** {@code right} on the bucket named by positional param {@code param}. */
    record OnBucket(Right right, int param) implements AccessRule {
    }

    /**
     * Any valid token; the result is a list of objects of which the caller sees those whose field
     * {@code bucketField} names a bucket it holds {@code right} on.
     */
    record FilteredList(Right right, String bucketField) implements AccessRule {
    }
}
