package io.restfs.blockstore.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.restfs.blockstore.kv.KeyValueStore;
import io.restfs.blockstore.kv.XodusKeyValueStore;

/**
 * Stores shards as files on local disk, each checked against its SHA-256, under a capacity limit.
 *
 * <p>Layout under the data directory: {@code shards/ab/cd/<64 hex key>} (fan-out by the first two
 * key bytes, so no directory grows past a few thousand entries), {@code tmp/} for writes in
 * progress, {@code quarantine/} for files that failed verification, and {@code index/} for the
 * Xodus index (unless another {@link KeyValueStore} is supplied).
 *
 * <p>A write goes: bytes to a temporary file while hashing, hash and length checked, file fsynced,
 * index entry PENDING (durable), rename to the final name, directory fsynced, entry COMMITTED
 * (durable). A put that returns is therefore on stable storage, and whatever moment the process
 * dies at, {@link #open} finds enough to settle it: temporary files are deleted, a PENDING entry is
 * kept only if its file is in place and verifies, entries whose file vanished are dropped, and a
 * file with no entry is re-indexed if its name is its content hash, otherwise quarantined. A
 * content-addressed shard (key = SHA-256 of its bytes, as every cluster shard is) skips the PENDING
 * entry: a file of one that lands without its entry is re-indexed by that last rule anyway, so the
 * entry would only cost an index sync per shard (one of four).
 *
 * <p>Thread-safe. Operations on one key are serialized by a striped lock; different keys proceed
 * in parallel.
 */
public final class ShardStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShardStore.class);

    /**
     * Largest shard accepted. A shard is one of the k+m pieces of a segment (4 MiB by default,
     * DESIGN.md), so real shards are a few MiB; 256 MiB leaves room for buckets with huge segments
     * while bounding what a bad length can reserve, and what {@link #get} holds in memory.
     */
    public static final long MAX_SHARD_BYTES = 256L << 20;

    /**
     * How stale a shard's last-access or last-verified time may get before a read or scrub rewrites
     * it. Like Linux {@code relatime}: at most one durable index write per shard per hour, instead
     * of one per read or per scrub pass.
     */
    public static final Duration TIMESTAMP_GRANULARITY = Duration.ofHours(1);

    /** Read/write buffer: 64 KiB, the codec's record size, large enough that syscalls don't dominate. */
    private static final int IO_BUFFER_BYTES = 64 * 1024;

    /** Lock stripes for per-key serialization: far more than the cores that could contend. */
    private static final int LOCK_STRIPES = 256;

    /** Index entries read per page when walking the whole index (open, scrub). */
    private static final int SCAN_PAGE = 1024;

    private final Path shardsDir;
    private final Path tmpDir;
    private final Path quarantineDir;
    private final ShardIndex index;
    private final Clock clock;
    private final long capacityBytes;
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    /** Held shared by every operation, exclusively by close, so close waits for operations in flight. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final AtomicLong tmpSequence = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private volatile boolean closed;

    // The space ledger; guarded by itself.
    private final Object ledger = new Object();
    private long shardCount;
    private long bytesStored;
    private long bytesReserved;

    private RecoveryReport recovery;

    private ShardStore(Path root, long capacityBytes, Clock clock, ShardIndex index) {
        this.shardsDir = root.resolve("shards");
        this.tmpDir = root.resolve("tmp");
        this.quarantineDir = root.resolve("quarantine");
        this.capacityBytes = capacityBytes;
        this.clock = clock;
        this.index = index;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Opens (creating if needed) the store in {@code dir}, with its index in Xodus under {@code dir/index}. */
    public static ShardStore open(Path dir, long capacityBytes, Clock clock) {
        checkCapacity(capacityBytes);
        return open(dir, capacityBytes, clock, XodusKeyValueStore.open(dir.resolve("index"), true));
    }

    /**
     * Opens the store in {@code dir} with the given index store, which the shard store then owns and
     * closes. Reconciles the index with the files before returning; see {@link #recovery()}.
     */
    public static ShardStore open(Path dir, long capacityBytes, Clock clock, KeyValueStore indexStore) {
        ShardIndex index = new ShardIndex(indexStore);
        try {
            checkCapacity(capacityBytes);
            if (clock == null) {
                throw new IllegalArgumentException("clock is required");
            }
            ShardStore store = new ShardStore(dir, capacityBytes, clock, index);
            store.recovery = store.recover();
            return store;
        } catch (IOException e) {
            index.close();
            throw new UncheckedIOException("cannot open shard store in " + dir, e);
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    private static void checkCapacity(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must be >= 0 bytes: " + capacityBytes);
        }
    }

    /** What opening had to repair. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /**
     * Stores a shard held in memory. The hash is computed while the bytes are written (once, not twice) and
     * checked before the file is synced or the index names it; a mismatch leaves nothing behind.
     *
     * @return the stored metadata; if the same shard (same key and hash) is already stored and its
     *         file is in place, its existing metadata, without writing again
     * @throws ShardHashMismatchException if {@code bytes} do not hash to {@code spec.sha256()}
     * @throws CapacityExceededException if it would not fit
     * @throws ShardConflictException if a shard with another hash is stored under the key
     */
    public ShardMeta put(ShardSpec spec, byte[] bytes) {
        if (spec == null || bytes == null) {
            throw new IllegalArgumentException("spec and bytes are required");
        }
        return put(spec, new ByteArrayInputStream(bytes), bytes.length);
    }

    /**
     * Stores a shard read from {@code in}, which must yield exactly {@code length} bytes; it is
     * copied through a small buffer, never held whole. Space is reserved before the first byte is
     * written. The stream is not closed. If the same shard is already stored the stream is not read.
     *
     * @throws ShardLengthMismatchException if the stream ends early or has more than {@code length} bytes
     * @throws ShardHashMismatchException if the bytes do not hash to {@code spec.sha256()}
     * @throws CapacityExceededException if it would not fit
     * @throws ShardConflictException if a shard with another hash is stored under the key
     * @throws UncheckedIOException if reading the stream or writing the disk fails
     */
    public ShardMeta put(ShardSpec spec, InputStream in, long length) {
        if (spec == null || in == null) {
            throw new IllegalArgumentException("spec and stream are required");
        }
        if (length < 0 || length > MAX_SHARD_BYTES) {
            throw new IllegalArgumentException("shard length must be in [0, " + MAX_SHARD_BYTES + "]: " + length);
        }
        ShardKey key = spec.key();
        return guarded(() -> {
            ReentrantLock lock = stripe(key);
            lock.lock();
            try {
                Optional<ShardIndex.Entry> existing = index.get(key);
                if (existing.isPresent() && !existing.get().committed()) {
                    // Left by a write whose cleanup failed; it was never acknowledged.
                    Files.deleteIfExists(pathFor(key));
                    index.delete(key);
                    existing = Optional.empty();
                }
                if (existing.isPresent()) {
                    ShardMeta old = existing.get().meta();
                    if (!old.sha256().equals(spec.sha256()) || old.size() != length) {
                        throw new ShardConflictException(key, old.sha256(), spec.sha256());
                    }
                    Path file = pathFor(key);
                    if (Files.exists(file) && Files.size(file) == length) {
                        return old;
                    }
                    // The stored copy is gone or damaged: let this write heal it.
                    if (Files.exists(file)) {
                        quarantineShard(old, hashFile(file), "size " + Files.size(file) + " != " + length + " on re-put");
                    } else {
                        forgetMissing(old);
                    }
                }
                reserve(key, length);
                boolean committed = false;
                boolean moved = false;
                Path tmp = tmpDir.resolve(key.hex() + "." + tmpSequence.incrementAndGet() + ".tmp");
                try {
                    writeTemp(tmp, spec, in, length);
                    Instant now = clock.instant();
                    ShardMeta meta = new ShardMeta(spec, length, now, now, now);
                    if (!contentAddressed(spec)) {
                        index.put(meta, ShardIndex.State.PENDING);
                    }
                    Path target = pathFor(key);
                    ensureParent(target);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    moved = true;
                    fsyncDir(target.getParent());
                    index.put(meta, ShardIndex.State.COMMITTED);
                    committed = true;
                    return meta;
                } finally {
                    if (!committed) {
                        abandonWrite(key, tmp, moved);
                    }
                    settle(length, committed);
                }
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * Reads a shard and checks it against its hash. A shard that fails is counted, quarantined and
     * reported with {@link ShardCorruptException}; later reads get {@link ShardNotFoundException}.
     */
    public byte[] get(ShardKey key) {
        requireKey(key);
        return guarded(() -> {
            ReentrantLock lock = stripe(key);
            lock.lock();
            try {
                ShardMeta meta = committed(key).orElseThrow(() -> new ShardNotFoundException(key));
                Path file = pathFor(key);
                long size;
                try {
                    size = Files.size(file);
                } catch (NoSuchFileException e) {
                    forgetMissing(meta);
                    throw new ShardNotFoundException(key);
                }
                if (size != meta.size()) {
                    Sha256 actual = hashFile(file);
                    quarantineShard(meta, actual, "size " + size + " != " + meta.size());
                    throw new ShardCorruptException(key, meta.sha256(), actual, "size " + size + ", expected " + meta.size());
                }
                byte[] data = Files.readAllBytes(file);
                Sha256 actual = Sha256.of(data);
                if (!actual.equals(meta.sha256())) {
                    quarantineShard(meta, actual, "hash mismatch on read");
                    throw new ShardCorruptException(key, meta.sha256(), actual, "hash mismatch on read");
                }
                Instant now = clock.instant();
                if (stale(meta.lastAccess(), now)) {
                    index.put(meta.withLastAccess(now).withLastVerified(now), ShardIndex.State.COMMITTED);
                }
                return data;
            } finally {
                lock.unlock();
            }
        });
    }

    /** Whether a shard is stored under {@code key} (from the index; the bytes are checked on read). */
    public boolean has(ShardKey key) {
        requireKey(key);
        return guarded(() -> committed(key).isPresent());
    }

    /** The metadata of the shard under {@code key}, if stored. */
    public Optional<ShardMeta> meta(ShardKey key) {
        requireKey(key);
        return guarded(() -> committed(key));
    }

    /** Deletes the shard under {@code key}; returns whether there was one. Durable when it returns. */
    public boolean delete(ShardKey key) {
        requireKey(key);
        return guarded(() -> {
            ReentrantLock lock = stripe(key);
            lock.lock();
            try {
                Optional<ShardMeta> meta = committed(key);
                if (meta.isEmpty()) {
                    return false;
                }
                // File first: dying between the two leaves an entry without a file, which open drops.
                Path file = pathFor(key);
                Files.deleteIfExists(file);
                fsyncDir(file.getParent());
                index.delete(key);
                debit(meta.get().size());
                return true;
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * Up to {@code limit} stored shards with keys greater than {@code after} (null: from the
     * start), in key order. Page through everything by passing the last key of each page.
     */
    public List<ShardMeta> list(ShardKey after, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0: " + limit);
        }
        return guarded(() -> {
            List<ShardMeta> out = new ArrayList<>();
            index.scan(after, e -> {
                if (e.committed()) {
                    out.add(e.meta());
                }
                return out.size() < limit;
            });
            return out;
        });
    }

    /** Counts and space, now. */
    public ShardStoreStats stats() {
        return guarded(() -> {
            long usable = Files.getFileStore(tmpDir).getUsableSpace();
            synchronized (ledger) {
                long free = Math.max(0, Math.min(capacityBytes - bytesStored - bytesReserved, usable));
                return new ShardStoreStats(shardCount, bytesStored, capacityBytes, bytesReserved, free,
                        index.corruptCount(), quarantined.get());
            }
        });
    }

    /**
     * Re-reads and re-hashes every shard, at most {@code bytesPerSecond} on average (pausing through
     * {@code sleeper}, timed by the store's clock), quarantining corrupt shards and dropping entries
     * whose file is gone, then looks for files the index does not know. Runs alongside other
     * operations; stops early, with what it found so far, if the store is closed.
     */
    public ScrubReport scrub(long bytesPerSecond, Sleeper sleeper) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("scrub rate must be > 0 bytes/s: " + bytesPerSecond);
        }
        if (sleeper == null) {
            throw new IllegalArgumentException("sleeper is required");
        }
        lifecycle.readLock().lock();
        try {
            checkOpen();
            return runScrub(bytesPerSecond, sleeper);
        } catch (IOException e) {
            throw new UncheckedIOException("scrub failed", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private ScrubReport runScrub(long bytesPerSecond, Sleeper sleeper) throws IOException, InterruptedException {
        Instant start = clock.instant();
        long checked = 0;
        long ok = 0;
        long bytesRead = 0;
        List<ShardKey> corrupt = new ArrayList<>();
        List<ShardKey> missing = new ArrayList<>();
        ShardKey after = null;
        List<ShardIndex.Entry> page;
        scan:
        do {
            page = page(after);
            for (ShardIndex.Entry listed : page) {
                after = listed.meta().key();
                if (closed) {
                    break scan;
                }
                long size = 0;
                ReentrantLock lock = stripe(after);
                lock.lock();
                try {
                    Optional<ShardMeta> current = committed(after);
                    if (current.isEmpty()) {
                        continue; // deleted or quarantined since the page was read
                    }
                    ShardMeta meta = current.get();
                    Path file = pathFor(after);
                    if (!Files.exists(file)) {
                        forgetMissing(meta);
                        missing.add(after);
                        continue;
                    }
                    size = Files.size(file);
                    Sha256 actual = hashFile(file);
                    checked++;
                    if (size != meta.size() || !actual.equals(meta.sha256())) {
                        quarantineShard(meta, actual, size != meta.size()
                                ? "size " + size + " != " + meta.size() + " on scrub" : "hash mismatch on scrub");
                        corrupt.add(after);
                    } else {
                        ok++;
                        Instant now = clock.instant();
                        if (stale(meta.lastVerified(), now)) {
                            index.put(meta.withLastVerified(now), ShardIndex.State.COMMITTED);
                        }
                    }
                } finally {
                    lock.unlock();
                }
                bytesRead += size;
                pace(start, bytesRead, bytesPerSecond, sleeper);
            }
        } while (page.size() == SCAN_PAGE);

        long[] orphans = new long[2];
        if (!closed) {
            for (Path file : listShardFiles()) {
                switch (adoptOrphan(file)) {
                    case REINDEXED -> orphans[0]++;
                    case QUARANTINED -> orphans[1]++;
                    case NOT_ORPHAN -> { }
                }
            }
        }
        ScrubReport report = new ScrubReport(checked, ok, corrupt, missing, orphans[0], orphans[1], bytesRead,
                Duration.between(start, clock.instant()));
        log.info("scrub done: checked={} ok={} corrupt={} missing={} orphans={} bytes={} elapsed={}",
                checked, ok, corrupt.size(), missing.size(), report.orphans(), bytesRead, report.elapsed());
        return report;
    }

    /** Sleeps until {@code bytes} would have taken that long at the rate, measured from {@code start}. */
    private void pace(Instant start, long bytes, long bytesPerSecond, Sleeper sleeper) throws InterruptedException {
        long dueNanos = (long) ((double) bytes / bytesPerSecond * 1e9);
        long elapsedNanos = Duration.between(start, clock.instant()).toNanos();
        if (dueNanos > elapsedNanos) {
            sleeper.sleep(Duration.ofNanos(dueNanos - elapsedNanos));
        }
    }

    /** Waits for operations in flight, then releases the index. A scrub in progress stops early. */
    @Override
    public void close() {
        closed = true;
        lifecycle.writeLock().lock();
        try {
            if (index != null) {
                index.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    // ---- opening: make the index agree with the files ----

    private RecoveryReport recover() throws IOException {
        Files.createDirectories(shardsDir);
        Files.createDirectories(tmpDir);
        Files.createDirectories(quarantineDir);
        long tempDeleted = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmpDir)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
                tempDeleted++;
            }
        }
        if (tempDeleted > 0) {
            fsyncDir(tmpDir);
        }
        try (Stream<Path> q = Files.list(quarantineDir)) {
            quarantined.set(q.count());
        }

        long pendingCommitted = 0;
        long pendingDropped = 0;
        long missingDropped = 0;
        long wrongSize = 0;
        ShardKey after = null;
        List<ShardIndex.Entry> page;
        do {
            page = page(after);
            for (ShardIndex.Entry e : page) {
                ShardMeta meta = e.meta();
                after = meta.key();
                Path file = pathFor(after);
                boolean exists = Files.exists(file);
                if (!e.committed()) {
                    // Died mid-write: keep the shard only if its file made it into place whole.
                    if (exists && Files.size(file) == meta.size() && hashFile(file).equals(meta.sha256())) {
                        index.put(meta, ShardIndex.State.COMMITTED);
                        credit(meta.size());
                        pendingCommitted++;
                    } else {
                        Files.deleteIfExists(file);
                        index.delete(after);
                        pendingDropped++;
                    }
                } else if (!exists) {
                    index.delete(after);
                    missingDropped++;
                    log.warn("shard {} missing its file on open; entry dropped", after);
                } else if (Files.size(file) != meta.size()) {
                    credit(meta.size());
                    quarantineShard(meta, hashFile(file), "size " + Files.size(file) + " != " + meta.size() + " on open");
                    wrongSize++;
                } else {
                    credit(meta.size());
                }
            }
        } while (page.size() == SCAN_PAGE);

        long reindexed = 0;
        long orphansQuarantined = 0;
        for (Path file : listShardFiles()) {
            switch (adoptOrphan(file)) {
                case REINDEXED -> reindexed++;
                case QUARANTINED -> orphansQuarantined++;
                case NOT_ORPHAN -> { }
            }
        }
        RecoveryReport report = new RecoveryReport(tempDeleted, pendingCommitted, pendingDropped, missingDropped,
                wrongSize, reindexed, orphansQuarantined);
        if (report.clean()) {
            log.info("shard store opened: {} shards, {} bytes", shardCount, bytesStored);
        } else {
            log.warn("shard store opened after repair: {} shards, {} bytes; {}", shardCount, bytesStored, report);
        }
        return report;
    }

    private enum OrphanOutcome { NOT_ORPHAN, REINDEXED, QUARANTINED }

    /**
     * Deals with a file under {@code shards/} the index may not know: one whose name is its own
     * content hash is indexed again (with unknown segment); anything else is moved to quarantine,
     * since nothing says what it should contain.
     */
    private OrphanOutcome adoptOrphan(Path file) throws IOException {
        Optional<ShardKey> key = keyOf(file);
        if (key.isEmpty()) {
            quarantineFile(file, "unexpected file in shard tree");
            return OrphanOutcome.QUARANTINED;
        }
        ReentrantLock lock = stripe(key.get());
        lock.lock();
        try {
            if (index.get(key.get()).isPresent() || !Files.exists(file)) {
                return OrphanOutcome.NOT_ORPHAN;
            }
            Sha256 actual = hashFile(file);
            if (ShardKey.of(actual).equals(key.get())) {
                Instant now = clock.instant();
                ShardMeta meta = new ShardMeta(new ShardSpec(key.get(), actual, "", ShardSpec.UNKNOWN_INDEX, 0),
                        Files.size(file), now, now, now);
                index.put(meta, ShardIndex.State.COMMITTED);
                credit(meta.size());
                log.warn("orphan shard file {} is content-addressed and verifies; re-indexed", key.get());
                return OrphanOutcome.REINDEXED;
            }
            quarantineFile(file, "orphan file whose content does not match its name");
            return OrphanOutcome.QUARANTINED;
        } finally {
            lock.unlock();
        }
    }

    private List<Path> listShardFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(shardsDir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The key a file under {@code shards/} stands for, if its name and place fit the layout. */
    private Optional<ShardKey> keyOf(Path file) {
        String name = file.getFileName().toString();
        if (name.length() != ShardKey.LENGTH * 2 || !name.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                || !name.equals(name.toLowerCase())) {
            return Optional.empty();
        }
        ShardKey key = ShardKey.fromHex(name);
        return pathFor(key).equals(file) ? Optional.of(key) : Optional.empty();
    }

    // ---- writing ----

    private void writeTemp(Path tmp, ShardSpec spec, InputStream in, long length) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buf = new byte[IO_BUFFER_BYTES];
        long written = 0;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (written < length) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - written));
                if (n < 0) {
                    throw new ShardLengthMismatchException(spec.key(), length, written);
                }
                digest.update(buf, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                written += n;
            }
            if (in.read() >= 0) {
                throw new ShardLengthMismatchException(spec.key(), length, length + 1);
            }
            Sha256 actual = new Sha256(digest.digest());
            if (!actual.equals(spec.sha256())) {
                throw new ShardHashMismatchException(spec.key(), spec.sha256(), actual);
            }
            ch.force(true);
        }
    }

    /** Whether the shard's key is the SHA-256 of its bytes, so a stray file of it names its own content. */
    private static boolean contentAddressed(ShardSpec spec) {
        return spec.key().equals(ShardKey.of(spec.sha256()));
    }

    /**
     * Cleans up after a write that failed part way; the index and files must not keep any of it.
     * {@code moved}: the file had been renamed into place (without a PENDING entry, only this says so).
     */
    private void abandonWrite(ShardKey key, Path tmp, boolean moved) {
        try {
            Files.deleteIfExists(tmp);
            Optional<ShardIndex.Entry> e = index.get(key);
            if (e.isPresent() && !e.get().committed()) {
                Files.deleteIfExists(pathFor(key));
                index.delete(key);
            } else if (e.isEmpty() && moved) {
                Files.deleteIfExists(pathFor(key));
            }
        } catch (IOException | RuntimeException cleanup) {
            // Whatever is left, the next open settles (temp files deleted, pending entries checked).
            log.warn("cleanup after failed write of shard {} incomplete: {}", key, cleanup.toString());
        }
    }

    private void ensureParent(Path target) throws IOException {
        Path inner = target.getParent();
        Path outer = inner.getParent();
        if (!Files.isDirectory(inner)) {
            if (!Files.isDirectory(outer)) {
                Files.createDirectories(outer);
                fsyncDir(shardsDir);
            }
            Files.createDirectories(inner);
            fsyncDir(outer);
        }
    }

    // ---- the space ledger ----

    private void reserve(ShardKey key, long length) throws IOException {
        long usable = Files.getFileStore(tmpDir).getUsableSpace();
        synchronized (ledger) {
            long available = Math.max(0, Math.min(capacityBytes - bytesStored - bytesReserved, usable));
            if (length > available) {
                throw new CapacityExceededException(key, length, available, capacityBytes);
            }
            bytesReserved += length;
        }
    }

    private void settle(long length, boolean stored) {
        synchronized (ledger) {
            bytesReserved -= length;
            if (stored) {
                bytesStored += length;
                shardCount++;
            }
        }
    }

    private void credit(long size) {
        synchronized (ledger) {
            bytesStored += size;
            shardCount++;
        }
    }

    private void debit(long size) {
        synchronized (ledger) {
            bytesStored -= size;
            shardCount--;
        }
    }

    // ---- bad shards ----

    private void forgetMissing(ShardMeta meta) {
        index.delete(meta.key());
        debit(meta.size());
        log.warn("shard {} lost its file; entry dropped", meta.key());
    }

    /** Moves a stored shard's file aside and forgets it; counts it corrupt. Caller holds its stripe. */
    private void quarantineShard(ShardMeta meta, Sha256 actual, String reason) throws IOException {
        quarantineFile(pathFor(meta.key()), reason + ", expected " + meta.sha256() + " found " + actual);
        index.delete(meta.key());
        index.incrementCorruptCount();
        debit(meta.size());
    }

    private void quarantineFile(Path file, String reason) throws IOException {
        Path target = quarantineDir.resolve(file.getFileName() + "." + clock.millis() + "."
                + tmpSequence.incrementAndGet());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(quarantineDir);
        fsyncDir(file.getParent());
        quarantined.incrementAndGet();
        log.warn("quarantined {} as {}: {}", file.getFileName(), target.getFileName(), reason);
    }

    // ---- helpers ----

    private static boolean stale(Instant recorded, Instant now) {
        return Duration.between(recorded, now).compareTo(TIMESTAMP_GRANULARITY) >= 0;
    }

    private Optional<ShardMeta> committed(ShardKey key) {
        return index.get(key).filter(ShardIndex.Entry::committed).map(ShardIndex.Entry::meta);
    }

    private List<ShardIndex.Entry> page(ShardKey after) {
        List<ShardIndex.Entry> out = new ArrayList<>(SCAN_PAGE);
        index.scan(after, e -> {
            out.add(e);
            return out.size() < SCAN_PAGE;
        });
        return out;
    }

    Path pathFor(ShardKey key) {
        String hex = key.hex();
        return shardsDir.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    private ReentrantLock stripe(ShardKey key) {
        return stripes[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
    }

    private static Sha256 hashFile(Path file) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buf = new byte[IO_BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return new Sha256(digest.digest());
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void requireKey(ShardKey key) {
        if (key == null) {
            throw new IllegalArgumentException("shard key is required");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("shard store is closed");
        }
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T guarded(IoAction<T> action) {
        lifecycle.readLock().lock();
        try {
            checkOpen();
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "ShardStore[" + shardsDir.getParent() + "]";
    }
}
