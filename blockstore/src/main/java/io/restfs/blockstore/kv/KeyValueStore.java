package io.restfs.blockstore.kv;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The ordered key-value store that restfs indexes sit on: Xodus on disk, a sorted map in memory.
 *
 * <p>Keys are compared as unsigned bytes, lexicographically. Keys may not be empty. Each index
 * class owns the encoding of its keys and values on top of this interface; nothing else about the
 * engine leaks out. Single operations and batches are atomic; whether a returned write is already
 * on stable storage depends on how the store was opened (see {@link XodusKeyValueStore#open}), and
 * {@link #sync()} forces it either way.
 */
public interface KeyValueStore extends AutoCloseable {

    /** The value stored under {@code key}, if any. */
    Optional<byte[]> get(byte[] key);

    /** Stores {@code value} under {@code key}, replacing any earlier value. */
    void put(byte[] key, byte[] value);

    /** Removes {@code key}; returns whether it was there. */
    boolean delete(byte[] key);

    /**
     * Visits entries with {@code fromInclusive <= key < toExclusive} in key order until the visitor
     * returns false. {@code toExclusive} may be null for "to the end". The visitor sees a consistent
     * snapshot and must not write to this store.
     */
    void scan(byte[] fromInclusive, byte[] toExclusive, Predicate<KvEntry> visitor);

    /** Visits every entry whose key starts with {@code prefix}, in key order, until the visitor returns false. */
    default void scanPrefix(byte[] prefix, Predicate<KvEntry> visitor) {
        scan(prefix, prefixEnd(prefix), visitor);
    }

    /** Applies every operation of {@code batch} in one transaction: all or none. */
    void write(KvBatch batch);

    /** Forces everything written so far to stable storage. */
    void sync();

    @Override
    void close();

    /** The smallest key greater than every key starting with {@code prefix}, or null when there is none (all 0xFF). */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    /** Rejects keys an engine cannot store; both implementations call it so they agree. */
    static byte[] checkKey(byte[] key) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("key must be a non-empty byte array");
        }
        return key;
    }
}
