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

    @MethodDoc(summary = "Lists a page of a directory's entries, sorted by name.",
            description = "Names sort as Java strings compare (UTF-16 code units). A page holds the entries whose"
                    + " names sort after the after param, at most limit of them (1,000 when not given, 10,000 at"
                    + " most). A page shorter than its limit is the last: to list everything, call again with"
                    + " after set to the last name of each full page. The cursor is a name, so entries added or"
                    + " removed between pages never shift the others; after need not exist any more. A path naming"
                    + " a file, a limit outside 1 to 10,000 or an after that cannot be a name ('/' in it, empty) is"
                    + " INVALID_PARAMS.",
            result = "The page's entries: name, type, size, modification time and version of each.",
            errors = {NOT_FOUND, UNAVAILABLE, INTEGRITY})
    List<DirEntry> list(@ParamDoc("The bucket's name.") String bucket,
                        @ParamDoc("Absolute path of the directory ('/' for the bucket's root).") String path,
                        @ParamDoc(value = "Optional: the last name of the previous page; the first page when left"
                                + " out.", optional = true)
                        String after,
                        @ParamDoc("Optional: the most entries to return, 1 to 10,000; 1,000 when left out.")
                        Integer limit);

    /** Every entry of a directory, sorted by name: {@link #list} page by page. */
    default List<DirEntry> listAll(String bucket, String path) {
        return Paging.all((after, limit) -> list(bucket, path, after, limit), DirEntry::name);
    }

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

    @MethodDoc(summary = "Lists a page of an object's versions, newest first.",
            description = "A page holds the versions older than the after param (all when it is left out), at most"
                    + " limit of them (1,000 when not given, 10,000 at most). A page shorter than its limit is the"
                    + " last: to list everything, call again with after set to the last version of each full page."
                    + " Each file version is one manifest read, found by walking back from the newest, so a page"
                    + " may start at most 10,000 versions back (TOO_LARGE beyond). A directory has one entry, its"
                    + " current version. A limit outside 1 to 10,000 or an after below 1 is INVALID_PARAMS.",
            result = "The page's versions: number, size, modification time, SHA-256 and whether it recorded a"
                    + " delete.",
            errors = {NOT_FOUND, TOO_LARGE, UNAVAILABLE, INTEGRITY})
    List<ObjectVersion> versions(@ParamDoc("The bucket's name.") String bucket,
                                 @ParamDoc("Absolute path of the object.") String path,
                                 @ParamDoc("Optional: the last (oldest) version of the previous page; the first"
                                         + " page, from the newest version, when left out.") Long after,
                                 @ParamDoc("Optional: the most versions to return, 1 to 10,000; 1,000 when left"
                                         + " out.") Integer limit);

    /** Every version of an object, newest first: {@link #versions} page by page. */
    default List<ObjectVersion> versionsAll(String bucket, String path) {
        return Paging.all((after, limit) -> versions(bucket, path, after, limit), ObjectVersion::version);
    }

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
