package io.restfs.blockstore.codec;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/** A bucket's 256-bit AES key. Never printed: {@link #toString()} shows only that it is a key. */
public final class BucketKey {
    /** AES-256. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private BucketKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be exactly 32 bytes long. */
    public static BucketKey of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a bucket key is " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        return new BucketKey(bytes.clone());
    }

    public static BucketKey generate(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new BucketKey(b);
    }

    /** A copy of the key bytes, for storing the key (wrapped) in bucket metadata. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BucketKey[hidden]";
    }
}
