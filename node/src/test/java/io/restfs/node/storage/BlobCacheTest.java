package io.restfs.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.restfs.blockstore.codec.SegmentId;
import io.restfs.blockstore.store.Sha256;
import io.restfs.node.meta.ShardRef;
import io.restfs.node.meta.StoredSegment;

class BlobCacheTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static StoredSegment ref(SegmentId id, byte[] seed) {
        List<ShardRef> shards = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            shards.add(new ShardRef(i, Sha256.of(new byte[] {seed[0], (byte) i}), Optional.empty()));
        }
        return new StoredSegment(id, 100, 2, 2, shards);
    }

    @Test
    void servesABlobOnlyForTheSameShards() {
        BlobCache cache = new BlobCache(1 << 20);
        SegmentId id = SegmentId.random(RANDOM);
        StoredSegment stored = ref(id, new byte[] {1});
        byte[] data = {1, 2, 3};
        cache.put(stored, data);
        assertArrayEquals(data, cache.get(ref(id, new byte[] {1})).orElseThrow());
        assertTrue(cache.get(ref(id, new byte[] {2})).isEmpty(), "same segment id, other shard hashes");
        assertTrue(cache.get(ref(SegmentId.random(RANDOM), new byte[] {1})).isEmpty());
    }

    @Test
    void dropsTheLeastRecentlyUsedBeyondItsBudget() {
        BlobCache cache = new BlobCache(250);
        StoredSegment a = ref(SegmentId.random(RANDOM), new byte[] {1});
        StoredSegment b = ref(SegmentId.random(RANDOM), new byte[] {2});
        StoredSegment c = ref(SegmentId.random(RANDOM), new byte[] {3});
        cache.put(a, new byte[100]);
        cache.put(b, new byte[100]);
        cache.get(a);
        cache.put(c, new byte[100]);
        assertTrue(cache.get(a).isPresent(), "used last, kept");
        assertTrue(cache.get(b).isEmpty(), "least recently used, dropped");
        assertTrue(cache.get(c).isPresent());
        cache.put(ref(SegmentId.random(RANDOM), new byte[] {4}), new byte[251]);
        assertTrue(cache.get(a).isPresent(), "a blob over the whole budget is not kept and evicts nothing");
    }
}
