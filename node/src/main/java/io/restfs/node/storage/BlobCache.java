package io.restfs.node.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.restfs.blockstore.codec.SegmentId;
import io.restfs.node.meta.StoredSegment;

/**
 * Decoded metadata blobs (manifests, directory listings) by the segment that stores them, least recently used
 * dropped first once their bytes pass a budget. A blob never changes after it is written, so an entry is never
 * stale; it is served only for a reference naming the same shard hashes as the one it was stored under.
 */
final class BlobCache {
    private record Entry(StoredSegment ref, byte[] data) {
    }

    private final long budgetBytes;
    private final LinkedHashMap<SegmentId, Entry> entries = new LinkedHashMap<>(64, 0.75f, true); // guarded by this
    private long bytes; // guarded by this

    BlobCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The blob {@code ref} stores, if cached. Callers must not change the array. */
    synchronized Optional<byte[]> get(StoredSegment ref) {
        Entry e = entries.get(ref.id());
        return e != null && e.ref().shards().equals(ref.shards()) ? Optional.of(e.data()) : Optional.empty();
    }

    /** Remembers {@code data} as the blob {@code ref} stores; a blob larger than the whole budget is not kept. */
    synchronized void put(StoredSegment ref, byte[] data) {
        if (data.length > budgetBytes) {
            return;
        }
        Entry old = entries.put(ref.id(), new Entry(ref, data));
        if (old != null) {
            bytes -= old.data().length;
        }
        bytes += data.length;
        var it = entries.entrySet().iterator();
        while (bytes > budgetBytes && it.hasNext()) {
            Map.Entry<SegmentId, Entry> eldest = it.next();
            bytes -= eldest.getValue().data().length;
            it.remove();
        }
    }
}
