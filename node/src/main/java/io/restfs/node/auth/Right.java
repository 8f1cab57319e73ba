package io.restfs.node.auth;

/** What a token may do with a bucket; each right includes the ones before it. */
public enum Right {
    READ,
    WRITE,
    /** Creating and deleting buckets, and every right on every bucket. */
    ADMIN
}
