package io.restfs.blockstore.drqueue;

/** An entry's payload is over {@link DrQueue#MAX_PAYLOAD_BYTES}; nothing was enqueued. */
public final class DrEntryTooLargeException extends IllegalArgumentException {

    private final int size;
    private final int limit;

    public DrEntryTooLargeException(int size, int limit) {
        super("DR queue entry payload is " + size + " bytes, limit " + limit
                + " (queue descriptions of the data, not the data itself)");
        this.size = size;
        this.limit = limit;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}
