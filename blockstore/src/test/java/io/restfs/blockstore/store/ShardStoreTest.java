package io.restfs.blockstore.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restfs.blockstore.kv.InMemoryKeyValueStore;
import io.restfs.blockstore.kv.XodusKeyValueStore;

class ShardStoreTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Random random = new Random(42);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static ShardSpec spec(byte[] data) {
        return ShardSpec.contentAddressed(Sha256.of(data), "seg-1", 0, 1);
    }

    private ShardStore open(long capacity) {
        return ShardStore.open(dir, capacity, clock);
    }

    private long filesUnder(String sub) throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve(sub))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void storesShardAndReadsItBackWithMetadata() {
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(1000);
            ShardSpec spec = new ShardSpec(new ShardKey(bytes(32)), Sha256.of(data), "segment-abc", 3, 7);
            ShardMeta meta = store.put(spec, data);
            assertEquals(1000, meta.size());
            assertEquals(clock.instant(), meta.storedAt());
            assertArrayEquals(data, store.get(spec.key()));
            assertTrue(store.has(spec.key()));
            ShardMeta read = store.meta(spec.key()).orElseThrow();
            assertEquals(spec, read.spec());
            ShardStoreStats stats = store.stats();
            assertEquals(1, stats.shardCount());
            assertEquals(1000, stats.bytesStored());
            assertEquals(MIB - 1000, stats.freeBytes());
        }
    }

    @Test
    void keepsShardsAndMetadataAcrossReopen() {
        byte[] data = bytes(5000);
        ShardSpec spec = spec(data);
        try (ShardStore store = open(MIB)) {
            store.put(spec, data);
        }
        try (ShardStore store = open(MIB)) {
            assertTrue(store.recovery().clean(), store.recovery().toString());
            assertArrayEquals(data, store.get(spec.key()));
            assertEquals(spec, store.meta(spec.key()).orElseThrow().spec());
            assertEquals(5000, store.stats().bytesStored());
        }
    }

    @Test
    void storingTheSameShardTwiceIsIdempotent() {
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(100);
            ShardMeta first = store.put(spec(data), data);
            clock.advance(Duration.ofMinutes(1));
            ShardMeta second = store.put(spec(data), data);
            assertEquals(first, second);
            assertEquals(1, store.stats().shardCount());
        }
    }

    @Test
    void storingAShardAgainRestoresItsLostFile() throws IOException {
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(100);
            store.put(spec(data), data);
            Files.delete(store.pathFor(spec(data).key()));
            store.put(spec(data), data);
            assertArrayEquals(data, store.get(spec(data).key()));
            assertEquals(1, store.stats().shardCount());
            assertEquals(100, store.stats().bytesStored());
        }
    }

    @Test
    void refusesDifferentShardUnderAnExistingKey() {
        try (ShardStore store = open(MIB)) {
            ShardKey key = new ShardKey(bytes(32));
            byte[] a = bytes(100);
            byte[] b = bytes(100);
            store.put(new ShardSpec(key, Sha256.of(a), "s", 0, 1), a);
            ShardConflictException e = assertThrows(ShardConflictException.class,
                    () -> store.put(new ShardSpec(key, Sha256.of(b), "s", 0, 2), b));
            assertEquals(Sha256.of(a), e.stored());
            assertArrayEquals(a, store.get(key));
        }
    }

    @Test
    void rejectsBytesWhoseHashDiffersAndStoresNothing() throws IOException {
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(100);
            ShardSpec lying = ShardSpec.contentAddressed(Sha256.of(bytes(100)), "s", 0, 1);
            ShardHashMismatchException e = assertThrows(ShardHashMismatchException.class, () -> store.put(lying, data));
            assertEquals(Sha256.of(data), e.actual());
            ShardHashMismatchException streamed = assertThrows(ShardHashMismatchException.class,
                    () -> store.put(lying, new ByteArrayInputStream(data), data.length));
            assertEquals(lying.key(), streamed.key());
            assertFalse(store.has(lying.key()));
            assertEquals(0, filesUnder("shards") + filesUnder("tmp"));
            assertEquals(0, store.stats().bytesStored());
            assertEquals(0, store.stats().reservedBytes());
        }
    }

    @Test
    void rejectsTruncatedAndOverlongStreams() throws IOException {
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(10_000);
            ShardLengthMismatchException shortE = assertThrows(ShardLengthMismatchException.class,
                    () -> store.put(spec(data), new ByteArrayInputStream(data, 0, 6000), data.length));
            assertEquals(6000, shortE.received());
            assertEquals(10_000, shortE.declared());
            byte[] longer = new byte[data.length + 1];
            System.arraycopy(data, 0, longer, 0, data.length);
            assertThrows(ShardLengthMismatchException.class,
                    () -> store.put(spec(data), new ByteArrayInputStream(longer), data.length));
            assertFalse(store.has(spec(data).key()));
            assertEquals(0, filesUnder("shards") + filesUnder("tmp"));
            assertEquals(0, store.stats().reservedBytes());
        }
    }

    @Test
    void rejectsMalformedArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ShardKey(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> new ShardKey(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> ShardKey.fromHex("abcd"));
        assertThrows(IllegalArgumentException.class, () -> new Sha256(new byte[20]));
        assertThrows(IllegalArgumentException.class, () -> ShardStore.open(dir, -1, clock));
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(10);
            assertThrows(IllegalArgumentException.class,
                    () -> store.put(spec(data), new ByteArrayInputStream(data), -1));
            assertThrows(IllegalArgumentException.class,
                    () -> store.put(spec(data), new ByteArrayInputStream(data), ShardStore.MAX_SHARD_BYTES + 1));
            assertThrows(IllegalArgumentException.class,
                    () -> new ShardSpec(spec(data).key(), Sha256.of(data), "s", -2, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> new ShardSpec(spec(data).key(), Sha256.of(data), "x".repeat(300), 0, 0));
            assertThrows(IllegalArgumentException.class, () -> store.get(null));
            assertThrows(IllegalArgumentException.class, () -> store.list(null, 0));
        }
    }

    @Test
    void refusesWriteBeyondCapacity() throws IOException {
        try (ShardStore store = open(10_000)) {
            byte[] first = bytes(6000);
            store.put(spec(first), first);
            byte[] second = bytes(5000);
            // A stream that fails the test if the store reads even one byte before refusing.
            InputStream untouchable = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("store read from the stream before checking capacity");
                }
            };
            CapacityExceededException e = assertThrows(CapacityExceededException.class,
                    () -> store.put(spec(second), untouchable, second.length));
            assertEquals(5000, e.requested());
            assertEquals(4000, e.available());
            assertEquals(10_000, e.capacity());
            assertEquals(1, filesUnder("shards"));
            assertEquals(0, filesUnder("tmp"));
            byte[] fits = bytes(4000);
            store.put(spec(fits), fits);
            assertEquals(0, store.stats().freeBytes());
        }
    }

    @Test
    void reservesCapacityUnderConcurrentWrites() throws Exception {
        int shardSize = 10_000;
        int fits = 7;
        try (ShardStore store = open((long) shardSize * fits + shardSize / 2)) {
            ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "shard-writer-test"));
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    byte[] data = bytes(shardSize);
                    results.add(pool.submit(() -> {
                        try {
                            store.put(spec(data), data);
                            return true;
                        } catch (CapacityExceededException e) {
                            return false;
                        }
                    }));
                }
                int stored = 0;
                for (Future<Boolean> f : results) {
                    stored += f.get() ? 1 : 0;
                }
                assertEquals(fits, stored);
            } finally {
                pool.shutdownNow();
            }
            ShardStoreStats stats = store.stats();
            assertEquals(fits, stats.shardCount());
            assertEquals((long) shardSize * fits, stats.bytesStored());
            assertEquals(0, stats.reservedBytes());
            assertEquals(fits, filesUnder("shards"));
        }
    }

    @Test
    void deletingAShardFreesItsSpace() throws IOException {
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(3000);
            store.put(spec(data), data);
            assertTrue(store.delete(spec(data).key()));
            assertFalse(store.delete(spec(data).key()));
            assertFalse(store.has(spec(data).key()));
            assertThrows(ShardNotFoundException.class, () -> store.get(spec(data).key()));
            assertEquals(0, store.stats().bytesStored());
            assertEquals(0, filesUnder("shards"));
        }
    }

    @Test
    void quarantinesCorruptShardOnRead() throws IOException {
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(2000);
            ShardSpec spec = spec(data);
            store.put(spec, data);
            Path file = store.pathFor(spec.key());
            byte[] onDisk = Files.readAllBytes(file);
            onDisk[1234] ^= 0x01;
            Files.write(file, onDisk);

            ShardCorruptException e = assertThrows(ShardCorruptException.class, () -> store.get(spec.key()));
            assertEquals(spec.key(), e.key());
            assertEquals(spec.sha256(), e.expected());
            assertEquals(Sha256.of(onDisk), e.actual());
            assertFalse(Files.exists(file));
            assertThrows(ShardNotFoundException.class, () -> store.get(spec.key()));
            ShardStoreStats stats = store.stats();
            assertEquals(1, stats.corruptCount());
            assertEquals(1, stats.quarantinedCount());
            assertEquals(0, stats.shardCount());
            assertEquals(0, stats.bytesStored());
            assertEquals(1, filesUnder("quarantine"));
        }
        try (ShardStore store = open(MIB)) {
            assertEquals(1, store.stats().corruptCount());
            assertEquals(1, store.stats().quarantinedCount());
        }
    }

    @Test
    void quarantinesShardWhoseFileChangedSizeOnRead() throws IOException {
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(2000);
            store.put(spec(data), data);
            Files.write(store.pathFor(spec(data).key()), new byte[1000]);
            assertThrows(ShardCorruptException.class, () -> store.get(spec(data).key()));
            assertEquals(1, store.stats().quarantinedCount());
        }
    }

    @Test
    void streamsALargeShardThroughToDisk() {
        int size = 5 * (int) MIB;
        byte[] data = bytes(size);
        try (ShardStore store = open(8 * MIB)) {
            ShardSpec spec = spec(data);
            // Hand the bytes over in small irregular reads, as a socket would.
            InputStream trickle = new ByteArrayInputStream(data) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, 1000));
                }
            };
            store.put(spec, trickle, size);
            assertArrayEquals(data, store.get(spec.key()));
        }
    }

    @Test
    void listsStoredShardsInKeyOrderPageByPage() {
        try (ShardStore store = open(MIB)) {
            List<ShardKey> keys = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                byte[] data = bytes(10);
                keys.add(store.put(spec(data), data).key());
            }
            keys.sort(null);
            List<ShardKey> listed = new ArrayList<>();
            ShardKey after = null;
            List<ShardMeta> page;
            do {
                page = store.list(after, 10);
                page.forEach(m -> listed.add(m.key()));
                after = page.isEmpty() ? after : page.get(page.size() - 1).key();
            } while (page.size() == 10);
            assertEquals(keys, listed);
        }
    }

    @Test
    void recordsLastAccessNoMoreOftenThanItsGranularity() {
        try (ShardStore store = open(MIB)) {
            byte[] data = bytes(10);
            ShardKey key = store.put(spec(data), data).key();
            Instant stored = clock.instant();
            clock.advance(Duration.ofMinutes(10));
            store.get(key);
            assertEquals(stored, store.meta(key).orElseThrow().lastAccess());
            clock.advance(ShardStore.TIMESTAMP_GRANULARITY);
            store.get(key);
            assertEquals(clock.instant(), store.meta(key).orElseThrow().lastAccess());
        }
    }

    @Test
    void scrubReportsCorruptMissingAndOrphanFiles() throws Exception {
        try (ShardStore store = open(MIB)) {
            List<ShardSpec> specs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                byte[] data = bytes(1000);
                specs.add(spec(data));
                store.put(spec(data), data);
            }
            Path corrupted = store.pathFor(specs.get(0).key());
            byte[] b = Files.readAllBytes(corrupted);
            b[0] ^= 0x40;
            Files.write(corrupted, b);
            Files.delete(store.pathFor(specs.get(1).key()));
            // An orphan that is its own content hash, and one that is not.
            byte[] adoptable = bytes(700);
            Path adoptPath = store.pathFor(ShardKey.of(Sha256.of(adoptable)));
            Files.createDirectories(adoptPath.getParent());
            Files.write(adoptPath, adoptable);
            Path strayPath = store.pathFor(new ShardKey(bytes(32)));
            Files.createDirectories(strayPath.getParent());
            Files.write(strayPath, bytes(300));

            clock.advance(Duration.ofDays(1));
            ScrubReport report = store.scrub(Long.MAX_VALUE, clock.sleeper());
            assertEquals(5, report.checked());
            assertEquals(4, report.ok());
            assertEquals(List.of(specs.get(0).key()), report.corrupt());
            assertEquals(List.of(specs.get(1).key()), report.missing());
            assertEquals(1, report.orphansReindexed());
            assertEquals(1, report.orphansQuarantined());
            assertEquals(4 + 1, store.stats().shardCount());
            assertArrayEquals(adoptable, store.get(ShardKey.of(Sha256.of(adoptable))));
            assertEquals(clock.instant(), store.meta(specs.get(2).key()).orElseThrow().lastVerified());
            assertEquals(2, store.stats().quarantinedCount());
            assertEquals(1, store.stats().corruptCount());

            ScrubReport again = store.scrub(Long.MAX_VALUE, clock.sleeper());
            assertEquals(5, again.ok());
            assertEquals(0, again.orphans() + again.corrupt().size() + again.missing().size());
        }
    }

    @Test
    void scrubAlongsideWritesAndDeletesFindsNothingWrong() throws Exception {
        try (ShardStore store = open(64 * MIB)) {
            for (int i = 0; i < 100; i++) {
                byte[] data = bytes(2000);
                store.put(spec(data), data);
            }
            Random writerRandom = new Random(9);
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 80; i++) {
                    byte[] data = new byte[1 + writerRandom.nextInt(5000)];
                    writerRandom.nextBytes(data);
                    ShardKey key = store.put(spec(data), data).key();
                    if (i % 3 == 0) {
                        store.delete(key);
                    }
                }
            }, "scrub-test-writer");
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            writer.setUncaughtExceptionHandler((t, e) -> writerFailure.set(e));
            writer.start();
            ScrubReport report;
            int scrubs = 0;
            do {
                report = store.scrub(Long.MAX_VALUE, clock.sleeper());
                scrubs++;
                assertTrue(report.corrupt().isEmpty() && report.missing().isEmpty() && report.orphans() == 0,
                        "scrub " + scrubs + " saw damage that is not there: " + report);
            } while (writer.isAlive());
            writer.join();
            assertNull(writerFailure.get(), () -> "writer failed: " + writerFailure.get());
            assertTrue(scrubs > 1, "scrubs should have overlapped the writes");
            assertEquals(0, store.stats().corruptCount());
            assertEquals(0, store.stats().quarantinedCount());
            assertEquals(store.stats().shardCount(), filesUnder("shards"));
        }
    }

    @Test
    void scrubKeepsToItsByteRate() throws Exception {
        try (ShardStore store = open(MIB)) {
            for (int i = 0; i < 10; i++) {
                byte[] data = bytes(10_000);
                store.put(spec(data), data);
            }
            ScrubReport report = store.scrub(20_000, clock.sleeper());
            assertEquals(100_000, report.bytesRead());
            // 100,000 bytes at 20,000 bytes/s: 5 s, all of it spent in the sleeper since the test clock stands still.
            assertEquals(Duration.ofSeconds(5), clock.slept());
            assertEquals(Duration.ofSeconds(5), report.elapsed());
        }
    }

    @Test
    void openDeletesTempFilesAndSettlesOrphansAndMissingFiles() throws IOException {
        byte[] kept = bytes(100);
        byte[] lost = bytes(100);
        byte[] shrunk = bytes(100);
        try (ShardStore store = open(MIB)) {
            store.put(spec(kept), kept);
            store.put(spec(lost), lost);
            store.put(spec(shrunk), shrunk);
            Files.delete(store.pathFor(spec(lost).key()));
            Files.write(store.pathFor(spec(shrunk).key()), new byte[10]);
        }
        Files.write(dir.resolve("tmp").resolve("partial.tmp"), bytes(50));
        byte[] adoptable = bytes(80);
        Path adoptPath = dir.resolve("shards").resolve("zz-not-a-shard");
        Files.write(adoptPath, adoptable);

        try (ShardStore store = open(MIB)) {
            RecoveryReport r = store.recovery();
            assertEquals(1, r.tempFilesDeleted());
            assertEquals(1, r.missingDropped());
            assertEquals(1, r.wrongSizeQuarantined());
            assertEquals(1, r.orphansQuarantined());
            assertEquals(1, store.stats().shardCount());
            assertEquals(100, store.stats().bytesStored());
            assertArrayEquals(kept, store.get(spec(kept).key()));
            assertEquals(0, filesUnder("tmp"));
        }
    }

    @Test
    void openKeepsAPendingWriteWhoseFileIsInPlaceAndDropsOneWhoseFileIsNot() throws IOException {
        byte[] landed = bytes(100);
        byte[] notLanded = bytes(100);
        Instant now = clock.instant();
        ShardMeta landedMeta = new ShardMeta(spec(landed), 100, now, now, now);
        ShardMeta notLandedMeta = new ShardMeta(spec(notLanded), 100, now, now, now);
        try (ShardStore store = open(MIB)) {
            Path file = store.pathFor(landedMeta.key());
            Files.createDirectories(file.getParent());
            Files.write(file, landed);
        }
        // What a crash between "entry PENDING" and "entry COMMITTED" leaves behind.
        try (ShardIndex index = new ShardIndex(XodusKeyValueStore.open(dir.resolve("index"), true))) {
            index.put(landedMeta, ShardIndex.State.PENDING);
            index.put(notLandedMeta, ShardIndex.State.PENDING);
        }
        try (ShardStore store = open(MIB)) {
            assertEquals(1, store.recovery().pendingCommitted());
            assertEquals(1, store.recovery().pendingDropped());
            assertEquals(0, store.recovery().orphansReindexed());
            assertArrayEquals(landed, store.get(landedMeta.key()));
            assertFalse(store.has(notLandedMeta.key()));
        }
    }

    @Test
    void runsOnAnInMemoryIndex() {
        try (ShardStore store = ShardStore.open(dir, MIB, clock, new InMemoryKeyValueStore())) {
            byte[] data = "shard on a simulated node".getBytes(StandardCharsets.UTF_8);
            store.put(spec(data), data);
            assertArrayEquals(data, store.get(spec(data).key()));
        }
    }

    @Test
    void refusesOperationsAfterClose() {
        ShardStore store = open(MIB);
        store.close();
        assertThrows(IllegalStateException.class, () -> store.stats());
    }

}
