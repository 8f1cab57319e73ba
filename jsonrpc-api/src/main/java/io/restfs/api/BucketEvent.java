package io.restfs.api;

/**
 * What {@code bucket.<name>} subscribers receive for every change: {@code created}, {@code changed} or
 * {@code deleted}, the path concerned ("/" for the bucket itself) and its version after the change.
 */
public record BucketEvent(String type, String path, long version) {
    public static final String CREATED = "created";
    public static final String CHANGED = "changed";
    public static final String DELETED = "deleted";

    /** The topic a bucket's events go to. */
    public static String topic(String bucket) {
        return "bucket." + bucket;
    }
}
