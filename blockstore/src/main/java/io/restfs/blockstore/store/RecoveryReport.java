package io.restfs.blockstore.store;

/**
 * What opening a shard store had to repair so that the index agrees with the files again
 * (after a crash, a power cut or someone editing the data directory).
 *
 * @param tempFilesDeleted    partial writes removed
 * @param pendingCommitted    writes that reached their final name before the crash and verified: kept
 * @param pendingDropped      writes that had not (or did not verify): forgotten
 * @param missingDropped      index entries whose file was gone: forgotten
 * @param wrongSizeQuarantined files whose size disagreed with the index: moved aside
 * @param orphansReindexed    files without an entry whose name is their content hash: indexed
 * @param orphansQuarantined  other files without an entry: moved aside
 */
public record RecoveryReport(long tempFilesDeleted, long pendingCommitted, long pendingDropped,
                             long missingDropped, long wrongSizeQuarantined,
                             long orphansReindexed, long orphansQuarantined) {

    /** Whether the store was found exactly as it was left. */
    public boolean clean() {
        return tempFilesDeleted + pendingCommitted + pendingDropped + missingDropped
                + wrongSizeQuarantined + orphansReindexed + orphansQuarantined == 0;
    }
}
