package io.restfs.api;

/**
 * An object's attributes at one version.
 *
 * @param path     absolute path inside the bucket, "/" separated, starting with "/"
 * @param version  the version this describes; every write makes a new one, starting at 1
 * @param sha256   hex SHA-256 of the whole content (empty for directories)
 * @param segments number of segments the content was cut into
 */
public record ObjectInfo(String bucket, String path, ObjectType type, long size, int mode, String owner,
                         long mtimeMillis, long version, String sha256, int segments) {
}
