package io.restfs.node.meta;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.restfs.blockstore.codec.BucketKey;
import io.restfs.dht.crypto.Ed25519KeyPair;

/**
 * Every key the metadata layer derives from the cluster key, each by HMAC-SHA256 under its own label, so any
 * node of the cluster can sign pointer records, read manifests and unwrap bucket keys, and nothing outside it can.
 */
public final class MetadataKeys {
    /** AES-GCM nonce: 96 bits, the size GCM handles without an extra GHASH pass (NIST SP 800-38D). */
    private static final int NONCE_BYTES = 12;
    /** The full 128-bit GCM tag. */
    private static final int TAG_BITS = 128;
    /** A wrapped bucket key: nonce, the 32-byte key, tag. */
    public static final int WRAPPED_KEY_BYTES = NONCE_BYTES + BucketKey.LENGTH + TAG_BITS / 8;

    private final byte[] clusterKey;
    private final BucketKey metadataKey;
    private final Ed25519KeyPair clusterSigner;
    private final byte[] wrapKey;

    public MetadataKeys(byte[] clusterKey) {
        if (clusterKey == null || clusterKey.length < 16) {
            throw new IllegalArgumentException("a cluster key of at least 16 bytes is required");
        }
        this.clusterKey = clusterKey.clone();
        this.metadataKey = BucketKey.of(hmac("restfs metadata key"));
        this.clusterSigner = Ed25519KeyPair.fromSeed(hmac("restfs cluster pointer key"));
        this.wrapKey = hmac("restfs bucket key wrap");
    }

    /** Encrypts manifests and directory listings (their segment ids are random, so nonces never repeat). */
    public BucketKey metadataKey() {
        return metadataKey;
    }

    /** Signs cluster-wide pointer records: bucket records and the bucket index. */
    public Ed25519KeyPair clusterSigner() {
        return clusterSigner;
    }

    /**
     * Signs the pointer records of one incarnation of a bucket. The incarnation (random, in the bucket record)
     * is part of the seed so that a bucket deleted and created again under the same name starts empty.
     */
    public Ed25519KeyPair bucketSigner(String bucket, byte[] incarnation) {
        byte[] name = bucket.getBytes(StandardCharsets.UTF_8);
        byte[] label = concat("restfs pointer key".getBytes(StandardCharsets.UTF_8), name, new byte[] {0}, incarnation);
        return Ed25519KeyPair.fromSeed(hmac(label));
    }

    /** BEP 44 salt of an object's pointer: SHA-256 of its path (32 bytes, within BEP 44's 64). */
    public static byte[] pathSalt(String path) {
        return sha256(("path:" + path).getBytes(StandardCharsets.UTF_8));
    }

    /** BEP 44 salt of a bucket's record under the cluster signer. */
    public static byte[] bucketSalt(String bucket) {
        return sha256(("bucket:" + bucket).getBytes(StandardCharsets.UTF_8));
    }

    /** BEP 44 salt of the bucket index record under the cluster signer. */
    public static byte[] bucketIndexSalt() {
        return sha256("bucket index".getBytes(StandardCharsets.UTF_8));
    }

    /** The bucket key encrypted (AES-256-GCM) under a key derived from the cluster key, bound to the bucket name. */
    public byte[] wrap(BucketKey key, String bucket, SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(wrapKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(bucket.getBytes(StandardCharsets.UTF_8));
            return concat(nonce, c.doFinal(key.toBytes()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JDK", e);
        }
    }

    /** The bucket key from {@link #wrap}; fails if it was wrapped under another cluster key or for another bucket. */
    public BucketKey unwrap(byte[] wrapped, String bucket) throws GeneralSecurityException {
        if (wrapped.length != WRAPPED_KEY_BYTES) {
            throw new GeneralSecurityException("a wrapped bucket key is " + WRAPPED_KEY_BYTES + " bytes, got "
                    + wrapped.length);
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(wrapKey, "AES"),
                new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
        c.updateAAD(bucket.getBytes(StandardCharsets.UTF_8));
        byte[] plain = c.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        try {
            return BucketKey.of(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private byte[] hmac(String label) {
        return hmac(label.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] hmac(byte[] label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clusterKey, "HmacSHA256"));
            return mac.doFinal(label);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is in every JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    @Override
    public String toString() {
        return "MetadataKeys[hidden]";
    }
}
