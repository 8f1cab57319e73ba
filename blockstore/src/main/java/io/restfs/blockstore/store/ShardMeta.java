package io.restfs.blockstore.store;

import java.time.Instant;

/**
 * What the index records about a stored shard.
 *
 * @param spec         what the writer said (key, hash, segment, index, version)
 * @param size         its length in bytes
 * @param storedAt     when it was committed
 * @param lastVerified when its bytes last matched its hash (on write, read or scrub), to within
 *                     {@link ShardStore#TIMESTAMP_GRANULARITY}
 * @param lastAccess   when it was last read, to within {@link ShardStore#TIMESTAMP_GRANULARITY}
 */
public record ShardMeta(ShardSpec spec, long size, Instant storedAt, Instant lastVerified, Instant lastAccess) {

    public ShardMeta {
        if (spec == null || storedAt == null || lastVerified == null || lastAccess == null) {
            throw new IllegalArgumentException("all shard metadata fields are required");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
    }

    public ShardKey key() {
        return spec.key();
    }

    public Sha256 sha256() {
        return spec.sha256();
    }

    ShardMeta withLastVerified(Instant t) {
        return new ShardMeta(spec, size, storedAt, t, lastAccess);
    }

    ShardMeta withLastAccess(Instant t) {
        return new ShardMeta(spec, size, storedAt, lastVerified, t);
    }
}
