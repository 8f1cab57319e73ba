package io.restfs.api;

/** A bucket as the API reports it. */
public record BucketInfo(String name, BucketPolicy policy, long createdMillis, long objectCount, long storedBytes) {
}
