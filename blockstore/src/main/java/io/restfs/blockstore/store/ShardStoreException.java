package io.restfs.blockstore.store;

/**
 * A shard store refusal a caller acts on; each subtype is one kind of failure handled differently.
 * I/O failures of the disk itself surface as {@link java.io.UncheckedIOException}.
 */
public abstract sealed class ShardStoreException extends RuntimeException
        permits ShardNotFoundException, ShardCorruptException, CapacityExceededException,
        ShardHashMismatchException, ShardLengthMismatchException, ShardConflictException {

    private final ShardKey key;

    ShardStoreException(ShardKey key, String message) {
        super(message);
        this.key = key;
    }

    /** The shard concerned. */
    public ShardKey key() {
        return key;
    }
}
