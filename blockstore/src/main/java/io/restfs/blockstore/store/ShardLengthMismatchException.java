package io.restfs.blockstore.store;

/**
 * The stream offered for a shard ended before the declared length or ran past it (a truncated or
 * overlong transfer); nothing was stored.
 */
public final class ShardLengthMismatchException extends ShardStoreException {

    private final long declared;
    private final long received;

    /** @param received bytes read; for an overlong stream, at least declared + 1 */
    public ShardLengthMismatchException(ShardKey key, long declared, long received) {
        super(key, "shard " + key + " rejected: declared " + declared + " bytes, stream "
                + (received < declared ? "ended after " + received : "has more than " + declared));
        this.declared = declared;
        this.received = received;
    }

    public long declared() {
        return declared;
    }

    public long received() {
        return received;
    }
}
