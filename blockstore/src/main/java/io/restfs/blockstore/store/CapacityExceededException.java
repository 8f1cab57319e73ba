package io.restfs.blockstore.store;

/** A write was refused, before any byte was written, because it would not fit. */
public final class CapacityExceededException extends ShardStoreException {

    private final long requested;
    private final long available;
    private final long capacity;

    public CapacityExceededException(ShardKey key, long requested, long available, long capacity) {
        super(key, "shard " + key + " needs " + requested + " bytes but only " + available
                + " are free (capacity " + capacity + ")");
        this.requested = requested;
        this.available = available;
        this.capacity = capacity;
    }

    public long requested() {
        return requested;
    }

    public long available() {
        return available;
    }

    public long capacity() {
        return capacity;
    }
}
