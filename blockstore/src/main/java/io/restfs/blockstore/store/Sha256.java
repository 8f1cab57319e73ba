package io.restfs.blockstore.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest: what every shard is checked against on write, read and scrub. */
public record Sha256(byte[] bytes) {

    public static final int LENGTH = 32;

    public Sha256 {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("SHA-256 must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    /** The digest of {@code data}. */
    public static Sha256 of(byte[] data) {
        return new Sha256(newDigest().digest(data));
    }

    public static Sha256 fromHex(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("SHA-256 must be " + LENGTH * 2 + " hex digits: " + hex);
        }
        return new Sha256(HexFormat.of().parseHex(hex));
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
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
        return o instanceof Sha256 h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
