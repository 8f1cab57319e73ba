package io.restfs.blockstore.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 32-byte name a shard is stored under.
 *
 * <p>The store treats it as opaque. Callers pick the scheme: a content-addressed key (the shard's
 * own SHA-256, {@link #of(Sha256)}) or a key derived from its place in a segment (for example
 * SHA-256 of segment id and shard index, so that the DHT's XOR placement spreads a segment's shards).
 * Only content-addressed shards can be re-indexed from the file alone if their index entry is lost.
 */
public record ShardKey(byte[] bytes) implements Comparable<ShardKey> {

    /** Key length in bytes: the size of a SHA-256 digest and of a DHT id (160 bits would not hold a SHA-256). */
    public static final int LENGTH = 32;

    public ShardKey {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("shard key must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    /** The content-addressed key of a shard: its SHA-256. */
    public static ShardKey of(Sha256 contentHash) {
        return new ShardKey(contentHash.bytes());
    }

    /** Parses 64 hex digits. */
    public static ShardKey fromHex(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("shard key must be " + LENGTH * 2 + " hex digits: " + hex);
        }
        return new ShardKey(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(ShardKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
