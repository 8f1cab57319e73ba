package io.restfs.blockstore.store;

/** No shard is stored under the key (never was, was deleted, or was quarantined earlier). */
public final class ShardNotFoundException extends ShardStoreException {

    public ShardNotFoundException(ShardKey key) {
        super(key, "no shard " + key);
    }
}
