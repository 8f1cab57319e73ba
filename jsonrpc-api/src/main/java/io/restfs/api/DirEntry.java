package io.restfs.api;

/** One entry of a directory listing. */
public record DirEntry(String name, ObjectType type, long size, long mtimeMillis, long version) {
}
