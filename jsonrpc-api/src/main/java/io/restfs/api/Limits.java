package io.restfs.api;

/** Sizes the API enforces; a request over one gets {@link ErrorCode#TOO_LARGE}. */
public final class Limits {
    /**
     * An inline body travels base64 in JSON (4/3 larger, then parsed whole in memory), so it is kept to a
     * few segments' worth; the streaming endpoint has no such limit.
     */
    public static final int MAX_INLINE_BODY_BYTES = 16 << 20;

    /** The largest JSON-RPC request body: an inline body in base64 plus room for the envelope. */
    public static final int MAX_REQUEST_BYTES = MAX_INLINE_BODY_BYTES / 3 * 4 + (64 << 10);

    /** Requests in one JSON-RPC batch. */
    public static final int MAX_BATCH = 100;

    /**
     * Entries of a page of {@code object.list} or {@code object.versions} when the call names no limit. An entry is
     * about 100 bytes of JSON, so a default page is about 100 KB; a version in the page costs its manifest's read.
     */
    public static final int DEFAULT_PAGE = 1_000;

    /** The largest page a call may ask for (about 1 MB of JSON); a larger limit is {@link ErrorCode#INVALID_PARAMS}. */
    public static final int MAX_PAGE = 10_000;

    /** Bucket names: like DNS labels, so they can appear in URLs and topics unescaped. */
    public static final String BUCKET_NAME_PATTERN = "[a-z0-9][a-z0-9-]{1,61}[a-z0-9]";

    /** Bytes of a path, UTF-8. */
    public static final int MAX_PATH_BYTES = 4096;

    /**
     * Characters of one pub/sub frame on /ws, either way: an announcement is under 1 KiB and a bucket event a
     * path plus a few fields. Nodes answer a larger one with an error frame; clients close the subscription.
     */
    public static final int MAX_PUBSUB_FRAME_CHARS = 64 * 1024;

    private Limits() {
    }
}
