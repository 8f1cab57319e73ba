package io.restfs.blockstore.store;

/**
 * A snapshot of a shard store's contents and space.
 *
 * @param shardCount        shards stored and servable
 * @param bytesStored       their total size
 * @param capacityBytes     the configured limit
 * @param reservedBytes     space held by writes in progress
 * @param freeBytes         what a new write may still use: capacity less stored and reserved,
 *                          and never more than the file system has free
 * @param corruptCount      shards found corrupt (on read, scrub or open) since the store was created
 * @param quarantinedCount  files now in the quarantine folder
 */
public record ShardStoreStats(long shardCount, long bytesStored, long capacityBytes, long reservedBytes,
                              long freeBytes, long corruptCount, long quarantinedCount) {
}
