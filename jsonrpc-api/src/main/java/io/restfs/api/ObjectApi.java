package io.restfs.api;

import java.util.List;

import static io.restfs.api.ErrorCode.ALREADY_EXISTS;
import static io.restfs.api.ErrorCode.CAPACITY_EXCEEDED;
import static io.restfs.api.ErrorCode.CONFLICT;
import static io.restfs.api.ErrorCode.INSUFFICIENT_NODES;
import static io.restfs.api.ErrorCode.INTEGRITY;
import static io.restfs.api.ErrorCode.INVALID_PARAMS;
import static io.restfs.api.ErrorCode.NOT_EMPTY;
import static io.restfs.api.ErrorCode.NOT_FOUND;
import static io.restfs.api.ErrorCode.TOO_LARGE;
import static io.restfs.api.ErrorCode.UNAVAILABLE;

/**
 * JSON-RPC service {@code object}. Bodies sent inline are base64 in JSON and limited in size
 * ({@link Limits#MAX_INLINE_BODY_BYTES}); larger ones go through the streaming HTTP endpoint
 * ({@code PUT/GET /o/{bucket}/{path}}, with Range on GET).
 */
public interface ObjectApi {
    @MethodDoc(summary = "Writes a new version of a file from an inline body.",
            description = "Missing parent directories are created. Every write makes a new version; the old ones"
                    + " stay listable and readable. With expectedVersion set, the write succeeds only if the"
                    + " object's current version is that one (0: the object must not exist), else CONFLICT."
                    + " The body is at most 16 MiB (TOO_LARGE beyond); larger files go through the streaming"
                    + " endpoint PUT /o/{bucket}/{path}.",
            result = "The new version's attributes.",
            errors = {NOT_FOUND, CONFLICT, TOO_LARGE, INSUFFICIENT_NODES, CAPACITY_EXCEEDED, UNAVAILABLE, INTEGRITY})
    ObjectInfo put(@ParamDoc("The bucket's name.") String bucket,
                   @ParamDoc("Absolute path of the file in the bucket, '/'-separated, starting with '/'.") String path,
                   @ParamDoc("The file's content, base64.") byte[] data,
                   @ParamDoc("Optional: the version the caller expects to replace (0: none); a different current"
                           + " version fails with CONFLICT.") Long expectedVersion);

    @MethodDoc(summary = "Reads a file's content inline.",
            description = "A file over 16 MiB is refused with TOO_LARGE; read it from the streaming endpoint GET"
                    + " /o/{bucket}/{path} (with Range) instead. A version that recorded a delete is NOT_FOUND.",
            result = "The content, base64.",
            errors = {NOT_FOUND, TOO_LARGE, UNAVAILABLE, INTEGRITY})
    byte[] get(@ParamDoc("The bucket's name.") String bucket,
               @ParamDoc("Absolute path of the file.") String path,
               @ParamDoc("Optional: the version to read; the newest when left out.") Long version);

    @MethodDoc(summary = "Describes a file or directory.",
            description = "A deleted object is NOT_FOUND unless an older version is asked for.",
            result = "The object's type, size, mode, owner, modification time, version, SHA-256 and segment count.",
            errors = {NOT_FOUND, UNAVAILABLE, INTEGRITY})
    ObjectInfo stat(@ParamDoc("The bucket's name.") String bucket,
                    @ParamDoc("Absolute path of the object.") String path,
                    @ParamDoc("Optional: the version to describe; the newest when left out.") Long version);

    @MethodDoc(summary = "Lists a directory's entries, sorted by name.",
            description = "Names sort as Java strings compare (UTF-16 code units). A path naming a file is"
                    + " INVALID_PARAMS.",
            result = "The directory's entries: name, type, size, modification time and version of each.",
            errors = {NOT_FOUND, UNAVAILABLE, INTEGRITY})
    List<DirEntry> list(@ParamDoc("The bucket's name.") String bucket,
                        @ParamDoc("Absolute path of the directory ('/' for the bucket's root).") String path);

    @MethodDoc(summary = "Creates a directory and any missing parents.",
            description = "An existing object at the path is ALREADY_EXISTS; a file on the way is CONFLICT.",
            result = "The new directory's attributes.",
            errors = {NOT_FOUND, ALREADY_EXISTS, CONFLICT, INSUFFICIENT_NODES, CAPACITY_EXCEEDED, UNAVAILABLE,
                    INTEGRITY})
    ObjectInfo mkdir(@ParamDoc("The bucket's name.") String bucket,
                     @ParamDoc("Absolute path of the directory to create.") String path);

    @MethodDoc(summary = "Moves a file or an empty directory to a new path in the same bucket.",
            description = "The target must not exist (ALREADY_EXISTS) and its parent must be a directory"
                    + " (NOT_FOUND); a directory that is not empty is NOT_EMPTY. The moved file's versions start"
                    + " over the target's history; the source records a delete.",
            result = "The object's attributes at its new path.",
            errors = {NOT_FOUND, ALREADY_EXISTS, NOT_EMPTY, CONFLICT, INSUFFICIENT_NODES, CAPACITY_EXCEEDED,
                    UNAVAILABLE, INTEGRITY})
    ObjectInfo rename(@ParamDoc("The bucket's name.") String bucket,
                      @ParamDoc("Absolute path of the object to move.") String from,
                      @ParamDoc("Absolute path it moves to.") String to);

    @MethodDoc(summary = "Deletes a file or an empty directory.",
            description = "A file's delete is recorded as a new version marked deleted; its older versions stay"
                    + " listable and readable. A directory that is not empty is NOT_EMPTY; the root cannot be"
                    + " deleted (INVALID_PARAMS).",
            result = "Null once the delete is recorded.",
            errors = {NOT_FOUND, NOT_EMPTY, CONFLICT, INSUFFICIENT_NODES, CAPACITY_EXCEEDED, UNAVAILABLE, INTEGRITY})
    void delete(@ParamDoc("The bucket's name.") String bucket,
                @ParamDoc("Absolute path of the object to delete.") String path);

    @MethodDoc(summary = "Lists an object's versions, newest first.",
            description = "Each file version is one manifest read; at most 10,000 versions are walked. A"
                    + " directory has one entry, its current version.",
            result = "The versions: number, size, modification time, SHA-256 and whether it recorded a delete.",
            errors = {NOT_FOUND, UNAVAILABLE, INTEGRITY})
    List<ObjectVersion> versions(@ParamDoc("The bucket's name.") String bucket,
                                 @ParamDoc("Absolute path of the object.") String path);

    @MethodDoc(summary = "Deletes one old version of a file for good and frees the shards only it held.",
            description = "As S3's DeleteObject with a versionId. Needs write rights. The version leaves"
                    + " object.versions and reading it is NOT_FOUND; the shards no remaining version of the file"
                    + " lists are deleted from their holders after the change commits (best effort: a holder that"
                    + " is down keeps them). The newest version cannot be deleted (INVALID_PARAMS): delete the"
                    + " object or write a new version first; after object.delete the newest version is the delete,"
                    + " so every data version can then be deleted. A version a rename shares with another path,"
                    + " a directory, and a version below 1 are INVALID_PARAMS; an unknown or already deleted"
                    + " version is NOT_FOUND.",
            result = "Null once the version is deleted.",
            errors = {INVALID_PARAMS, NOT_FOUND, CONFLICT, INSUFFICIENT_NODES, CAPACITY_EXCEEDED, UNAVAILABLE,
                    INTEGRITY})
    void deleteVersion(@ParamDoc("The bucket's name.") String bucket,
                       @ParamDoc("Absolute path of the file.") String path,
                       @ParamDoc("The version to delete (1 or more), from object.versions.") Long version);
}
