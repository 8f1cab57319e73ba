package io.restfs.blockstore.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

import io.restfs.blockstore.kv.KeyValueStore;

/**
 * The shard store's index on a {@link KeyValueStore}; owns its key and value encoding.
 *
 * <p>Keys: {@code 'S' + 32-byte shard key} for shards, {@code 'C' + name} for counters. A shard
 * entry is PENDING from just before its file is renamed into place until the rename is durable,
 * then COMMITTED; only committed entries are served, and opening the store settles pending ones.
 */
final class ShardIndex implements AutoCloseable {

    /** Entry state; the byte value is persisted. */
    enum State {
        PENDING((byte) 1), COMMITTED((byte) 2);

        final byte code;

        State(byte code) {
            this.code = code;
        }

        static State of(byte code) {
            for (State s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            throw new IllegalStateException("unknown shard index state " + code);
        }
    }

    /** An index entry: the shard's metadata and whether its file is known to be in place. */
    record Entry(ShardMeta meta, State state) {
        boolean committed() {
            return state == State.COMMITTED;
        }
    }

    private static final byte SHARD_PREFIX = 'S';
    private static final byte COUNTER_PREFIX = 'C';
    private static final byte[] CORRUPT_COUNTER = counterKey("corrupt");
    /** Value layout version, first byte of every shard value, so a later layout can be told apart. */
    private static final byte VALUE_FORMAT = 1;

    private final KeyValueStore kv;

    ShardIndex(KeyValueStore kv) {
        this.kv = kv;
    }

    Optional<Entry> get(ShardKey key) {
        return kv.get(shardKey(key)).map(v -> decode(key, v));
    }

    void put(ShardMeta meta, State state) {
        kv.put(shardKey(meta.key()), encode(meta, state));
    }

    void delete(ShardKey key) {
        kv.delete(shardKey(key));
    }

    /** Visits entries with key > {@code after} (or all, if null) in key order until the visitor returns false. */
    void scan(ShardKey after, Predicate<Entry> visitor) {
        byte[] from;
        if (after == null) {
            from = new byte[] {SHARD_PREFIX};
        } else {
            // The smallest key greater than 'S'+after is 'S'+after+0x00.
            from = Arrays.copyOf(shardKey(after), 1 + ShardKey.LENGTH + 1);
        }
        kv.scan(from, KeyValueStore.prefixEnd(new byte[] {SHARD_PREFIX}), e -> {
            ShardKey key = new ShardKey(Arrays.copyOfRange(e.key(), 1, e.key().length));
            return visitor.test(decode(key, e.value()));
        });
    }

    long corruptCount() {
        return kv.get(CORRUPT_COUNTER).map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L);
    }

    void incrementCorruptCount() {
        kv.put(CORRUPT_COUNTER, ByteBuffer.allocate(Long.BYTES).putLong(corruptCount() + 1).array());
    }

    @Override
    public void close() {
        kv.close();
    }

    private static byte[] shardKey(ShardKey key) {
        byte[] k = new byte[1 + ShardKey.LENGTH];
        k[0] = SHARD_PREFIX;
        System.arraycopy(key.bytes(), 0, k, 1, ShardKey.LENGTH);
        return k;
    }

    private static byte[] counterKey(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] k = new byte[1 + n.length];
        k[0] = COUNTER_PREFIX;
        System.arraycopy(n, 0, k, 1, n.length);
        return k;
    }

    static byte[] encode(ShardMeta m, State state) {
        byte[] segment = m.spec().segmentId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + Sha256.LENGTH + 8 + 8 * 3 + 4 + 2 + segment.length);
        b.put(VALUE_FORMAT).put(state.code)
                .putLong(m.size())
                .put(m.sha256().bytes())
                .putLong(m.spec().version())
                .putLong(m.storedAt().toEpochMilli())
                .putLong(m.lastVerified().toEpochMilli())
                .putLong(m.lastAccess().toEpochMilli())
                .putInt(m.spec().shardIndex())
                .putShort((short) segment.length)
                .put(segment);
        return b.array();
    }

    static Entry decode(ShardKey key, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        byte format = b.get();
        if (format != VALUE_FORMAT) {
            throw new IllegalStateException("shard index entry " + key + " has unknown format " + format);
        }
        State state = State.of(b.get());
        long size = b.getLong();
        byte[] sha = new byte[Sha256.LENGTH];
        b.get(sha);
        long version = b.getLong();
        Instant storedAt = Instant.ofEpochMilli(b.getLong());
        Instant verified = Instant.ofEpochMilli(b.getLong());
        Instant access = Instant.ofEpochMilli(b.getLong());
        int shardIndex = b.getInt();
        byte[] segment = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(segment);
        ShardSpec spec = new ShardSpec(key, new Sha256(sha), new String(segment, StandardCharsets.UTF_8),
                shardIndex, version);
        return new Entry(new ShardMeta(spec, size, storedAt, verified, access), state);
    }
}
