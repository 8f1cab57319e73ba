package io.restfs.blockstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import io.restfs.blockstore.kv.InMemoryKeyValueStore;

class ShardIndexTest {

    @Property(tries = 300)
    void storesAndReadsBackAnyShardMetadata(@ForAll @Size(32) byte[] key, @ForAll @Size(32) byte[] sha,
                                            @ForAll @StringLength(max = 80) String segment,
                                            @ForAll @IntRange(min = -1, max = 1 << 20) int index,
                                            @ForAll @LongRange(min = 0) long version,
                                            @ForAll @LongRange(min = 0, max = ShardStore.MAX_SHARD_BYTES) long size,
                                            @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long millis,
                                            @ForAll boolean committed) {
        Instant t = Instant.ofEpochMilli(millis);
        ShardMeta meta = new ShardMeta(new ShardSpec(new ShardKey(key), new Sha256(sha), segment, index, version),
                size, t, t.plusMillis(1), t.plusMillis(2));
        ShardIndex.State state = committed ? ShardIndex.State.COMMITTED : ShardIndex.State.PENDING;
        try (ShardIndex shardIndex = new ShardIndex(new InMemoryKeyValueStore())) {
            shardIndex.put(meta, state);
            assertEquals(new ShardIndex.Entry(meta, state), shardIndex.get(meta.key()).orElseThrow());
        }
    }
}
