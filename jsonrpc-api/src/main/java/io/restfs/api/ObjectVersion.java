package io.restfs.api;

/** One version in an object's history; {@code deleted} marks the version a delete recorded. */
public record ObjectVersion(long version, long size, long mtimeMillis, String sha256, boolean deleted) {
}
