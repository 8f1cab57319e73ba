package io.restfs.blockstore.store;

import java.time.Duration;
import java.util.List;

/**
 * What a scrub found.
 *
 * @param checked           shards whose bytes were re-read and hashed
 * @param ok                of those, how many matched
 * @param corrupt           keys of shards whose bytes did not match (now quarantined)
 * @param missing           keys whose file had vanished (index entry dropped)
 * @param orphansReindexed  files without an index entry whose name is their content hash (now indexed)
 * @param orphansQuarantined files without an index entry that could not be vouched for (moved aside)
 * @param bytesRead         bytes hashed
 * @param elapsed           time taken by the injected clock, pauses for the rate limit included
 */
public record ScrubReport(long checked, long ok, List<ShardKey> corrupt, List<ShardKey> missing,
                          long orphansReindexed, long orphansQuarantined, long bytesRead, Duration elapsed) {

    public ScrubReport {
        corrupt = List.copyOf(corrupt);
        missing = List.copyOf(missing);
    }

    /** Orphan files found, whatever was done with them. */
    public long orphans() {
        return orphansReindexed + orphansQuarantined;
    }
}
