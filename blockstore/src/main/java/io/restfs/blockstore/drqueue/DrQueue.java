package io.restfs.blockstore.drqueue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.restfs.blockstore.kv.KeyValueStore;
import io.restfs.blockstore.kv.KvBatch;
import io.restfs.blockstore.kv.XodusKeyValueStore;

/**
 * The disaster-recovery queue: a persistent FIFO of uploads still to be shipped to the cluster.
 *
 * <p>{@link #enqueue} is durable when it returns. Delivery is at least once: {@link #take} hands out
 * the next due entry under a lease (a visibility timeout); the entry leaves the queue only when
 * {@link #ack acknowledged}. A lease that expires unacknowledged (the consumer died or hung) makes
 * the entry due again; {@link #retryLater} gives it back at once, due after an exponential backoff
 * with jitter. Entries survive restarts and crashes; so do leases, which simply run out.
 *
 * <p>Keys in the key-value store (owned here): {@code 'E' + id} the entry, {@code 'D' + dueAt + id}
 * the order of delivery (empty value), {@code 'M' + "next-id"} the id counter. All big-endian, so
 * key order is numeric order. Thread-safe; operations are serialized.
 */
public final class DrQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DrQueue.class);

    /**
     * Largest payload accepted. Entries describe uploads (bucket, path up to PATH_MAX = 4096 bytes,
     * offsets, version, a few xattrs), they don't carry file data; 64 KiB is ample for that and keeps
     * every queue operation a small transaction.
     */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /** Longest type tag, in UTF-8 bytes: a short dotted name is all it needs to be. */
    public static final int MAX_TYPE_BYTES = 64;

    private static final byte ENTRY = 'E';
    private static final byte DUE = 'D';
    private static final byte[] NEXT_ID = {'M', 'n', 'e', 'x', 't', '-', 'i', 'd'};
    private static final byte[] EMPTY = new byte[0];
    /** Value layout version, first byte of every entry value. */
    private static final byte VALUE_FORMAT = 1;

    private final KeyValueStore kv;
    private final RetryPolicy retry;
    private final Clock clock;
    private final RandomGenerator random;
    private long nextId;
    private long depth;
    private boolean closed;

    private DrQueue(KeyValueStore kv, RetryPolicy retry, Clock clock, RandomGenerator random) {
        this.kv = kv;
        this.retry = retry;
        this.clock = clock;
        this.random = random;
        this.nextId = kv.get(NEXT_ID).map(v -> ByteBuffer.wrap(v).getLong()).orElse(1L);
        long[] count = {0};
        kv.scanPrefix(new byte[] {DUE}, e -> {
            count[0]++;
            return true;
        });
        this.depth = count[0];
    }

    /** Opens (creating if needed) the queue in {@code dir}, on Xodus with every commit fsynced. */
    public static DrQueue open(Path dir, RetryPolicy retry, Clock clock, RandomGenerator random) {
        requireCollaborators(retry, clock, random);
        return open(XodusKeyValueStore.open(dir, true), retry, clock, random);
    }

    /** Opens the queue on the given store, which it then owns and closes. */
    public static DrQueue open(KeyValueStore kv, RetryPolicy retry, Clock clock, RandomGenerator random) {
        try {
            requireCollaborators(retry, clock, random);
            DrQueue q = new DrQueue(kv, retry, clock, random);
            log.info("DR queue opened: {} entries pending", q.depth);
            return q;
        } catch (RuntimeException e) {
            kv.close();
            throw e;
        }
    }

    private static void requireCollaborators(RetryPolicy retry, Clock clock, RandomGenerator random) {
        if (retry == null || clock == null || random == null) {
            throw new IllegalArgumentException("retry policy, clock and random are required");
        }
    }

    /**
     * Appends an entry, due now; on stable storage when this returns.
     *
     * @return the entry's id
     * @throws DrEntryTooLargeException if the payload is over {@link #MAX_PAYLOAD_BYTES}
     */
    public synchronized long enqueue(String type, byte[] payload) {
        checkOpen();
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("entry type tag is required");
        }
        byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
        if (typeBytes.length > MAX_TYPE_BYTES) {
            throw new IllegalArgumentException("entry type tag is " + typeBytes.length + " bytes, limit " + MAX_TYPE_BYTES);
        }
        if (payload == null) {
            throw new IllegalArgumentException("payload is required (may be empty)");
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new DrEntryTooLargeException(payload.length, MAX_PAYLOAD_BYTES);
        }
        long id = nextId;
        Instant now = clock.instant();
        DrEntry entry = new DrEntry(id, type, payload, now, 0, now);
        kv.write(new KvBatch()
                .put(entryKey(id), encode(entry, false))
                .put(dueKey(now, id), EMPTY)
                .put(NEXT_ID, ByteBuffer.allocate(Long.BYTES).putLong(id + 1).array()));
        nextId = id + 1;
        depth++;
        return id;
    }

    /**
     * Leases the next due entry (earliest due, then oldest) for {@code visibilityTimeout}, counting
     * the attempt durably; empty if nothing is due.
     */
    public synchronized Optional<DrLease> take(Duration visibilityTimeout) {
        checkOpen();
        if (visibilityTimeout == null || visibilityTimeout.isNegative() || visibilityTimeout.isZero()) {
            throw new IllegalArgumentException("visibility timeout must be > 0: " + visibilityTimeout);
        }
        Instant now = clock.instant();
        byte[][] first = new byte[1][];
        kv.scanPrefix(new byte[] {DUE}, e -> {
            first[0] = e.key();
            return false;
        });
        if (first[0] == null) {
            return Optional.empty();
        }
        ByteBuffer k = ByteBuffer.wrap(first[0], 1, 16);
        Instant due = Instant.ofEpochMilli(k.getLong());
        long id = k.getLong();
        if (due.isAfter(now)) {
            return Optional.empty();
        }
        Stored stored = load(id);
        Instant expires = now.plus(visibilityTimeout);
        DrEntry taken = new DrEntry(id, stored.entry.type(), stored.entry.payload(), stored.entry.enqueuedAt(),
                stored.entry.attempts() + 1, expires);
        kv.write(new KvBatch()
                .delete(first[0])
                .put(dueKey(expires, id), EMPTY)
                .put(entryKey(id), encode(taken, true)));
        return Optional.of(new DrLease(taken, expires));
    }

    /**
     * Removes a delivered entry for good; durable when it returns. Returns false, changing nothing,
     * if the lease is no longer the entry's latest delivery (it expired and was handed out again)
     * or the entry is already gone.
     */
    public synchronized boolean ack(DrLease lease) {
        checkOpen();
        Optional<Stored> current = current(lease);
        if (current.isEmpty()) {
            return false;
        }
        kv.write(new KvBatch()
                .delete(entryKey(lease.id()))
                .delete(dueKey(current.get().entry.dueAt(), lease.id())));
        depth--;
        return true;
    }

    /**
     * Gives a delivered entry back after a failed attempt: it becomes due again after the retry
     * policy's backoff for this attempt. Returns false, changing nothing, if the lease is stale.
     */
    public synchronized boolean retryLater(DrLease lease) {
        checkOpen();
        Optional<Stored> current = current(lease);
        if (current.isEmpty()) {
            return false;
        }
        DrEntry e = current.get().entry;
        Instant due = clock.instant().plus(retry.delayAfter(e.attempts(), random));
        DrEntry waiting = new DrEntry(e.id(), e.type(), e.payload(), e.enqueuedAt(), e.attempts(), due);
        kv.write(new KvBatch()
                .delete(dueKey(e.dueAt(), e.id()))
                .put(dueKey(due, e.id()), EMPTY)
                .put(entryKey(e.id()), encode(waiting, false)));
        log.info("DR entry {} ({}) failed attempt {}; retry at {}", e.id(), e.type(), e.attempts(), due);
        return true;
    }

    /** Up to {@code limit} queued entries with id greater than {@code afterId}, oldest first. */
    public synchronized List<DrEntry> entries(long afterId, int limit) {
        checkOpen();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0: " + limit);
        }
        List<DrEntry> out = new ArrayList<>();
        byte[] from = afterId == Long.MAX_VALUE ? null : entryKey(Math.max(0, afterId + 1));
        if (from == null) {
            return out;
        }
        kv.scan(from, new byte[] {ENTRY + 1}, e -> {
            out.add(decode(e.value()).entry);
            return out.size() < limit;
        });
        return out;
    }

    /** Depth, readiness and retry figures now. Reads every entry: O(depth). */
    public synchronized DrQueueStats stats() {
        checkOpen();
        Instant now = clock.instant();
        long[] ready = {0};
        long[] leased = {0};
        long[] retried = {0};
        int[] maxAttempts = {0};
        Instant[] oldest = {null};
        kv.scanPrefix(new byte[] {ENTRY}, e -> {
            Stored s = decode(e.value());
            if (oldest[0] == null) {
                oldest[0] = s.entry.enqueuedAt();
            }
            boolean due = !s.entry.dueAt().isAfter(now);
            if (due) {
                ready[0]++;
            } else if (s.leased) {
                leased[0]++;
            }
            maxAttempts[0] = Math.max(maxAttempts[0], s.entry.attempts());
            if (s.entry.attempts() > 1) {
                retried[0]++;
            }
            return true;
        });
        Duration age = oldest[0] == null || oldest[0].isAfter(now) ? Duration.ZERO : Duration.between(oldest[0], now);
        return new DrQueueStats(depth, ready[0], leased[0], age, maxAttempts[0], retried[0]);
    }

    /** Entries not yet acknowledged. */
    public synchronized long depth() {
        return depth;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            kv.close();
        }
    }

    // ---- encoding ----

    private record Stored(DrEntry entry, boolean leased) {
    }

    private Optional<Stored> current(DrLease lease) {
        if (lease == null) {
            throw new IllegalArgumentException("lease is required");
        }
        return kv.get(entryKey(lease.id())).map(DrQueue::decode)
                .filter(s -> s.leased && s.entry.attempts() == lease.attempt());
    }

    private Stored load(long id) {
        return kv.get(entryKey(id)).map(DrQueue::decode)
                .orElseThrow(() -> new IllegalStateException("DR queue index names entry " + id + " that is missing"));
    }

    private static byte[] entryKey(long id) {
        return ByteBuffer.allocate(1 + Long.BYTES).put(ENTRY).putLong(id).array();
    }

    private static byte[] dueKey(Instant due, long id) {
        return ByteBuffer.allocate(1 + 2 * Long.BYTES).put(DUE).putLong(due.toEpochMilli()).putLong(id).array();
    }

    private static byte[] encode(DrEntry e, boolean leased) {
        byte[] type = e.type().getBytes(StandardCharsets.UTF_8);
        byte[] payload = e.payload();
        return ByteBuffer.allocate(2 + Long.BYTES * 3 + Integer.BYTES + 1 + type.length + Integer.BYTES + payload.length)
                .put(VALUE_FORMAT)
                .put((byte) (leased ? 1 : 0))
                .putLong(e.id())
                .putLong(e.enqueuedAt().toEpochMilli())
                .putLong(e.dueAt().toEpochMilli())
                .putInt(e.attempts())
                .put((byte) type.length).put(type)
                .putInt(payload.length).put(payload)
                .array();
    }

    private static Stored decode(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        byte format = b.get();
        if (format != VALUE_FORMAT) {
            throw new IllegalStateException("DR queue entry has unknown format " + format);
        }
        boolean leased = b.get() == 1;
        long id = b.getLong();
        Instant enqueued = Instant.ofEpochMilli(b.getLong());
        Instant due = Instant.ofEpochMilli(b.getLong());
        int attempts = b.getInt();
        byte[] type = new byte[Byte.toUnsignedInt(b.get())];
        b.get(type);
        byte[] payload = new byte[b.getInt()];
        b.get(payload);
        return new Stored(new DrEntry(id, new String(type, StandardCharsets.UTF_8), payload, enqueued, attempts, due),
                leased);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("DR queue is closed");
        }
    }
}
