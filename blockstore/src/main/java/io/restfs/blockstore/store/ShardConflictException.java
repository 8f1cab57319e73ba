package io.restfs.blockstore.store;

/**
 * A different shard (another hash) is already stored under the key. Stored shards are never
 * overwritten in place; delete first if replacing is really meant.
 */
public final class ShardConflictException extends ShardStoreException {

    private final Sha256 stored;
    private final Sha256 offered;

    public ShardConflictException(ShardKey key, Sha256 stored, Sha256 offered) {
        super(key, "shard " + key + " already stored with SHA-256 " + stored + ", refusing " + offered);
        this.stored = stored;
        this.offered = offered;
    }

    public Sha256 stored() {
        return stored;
    }

    public Sha256 offered() {
        return offered;
    }
}
