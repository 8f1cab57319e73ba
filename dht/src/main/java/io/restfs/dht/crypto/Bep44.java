package io.restfs.dht.crypto;

import io.restfs.dht.id.NodeId;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The BEP 44 rules for DHT items: which bytes a mutable item's signature covers, and which 20-byte target an item
 * is stored under. Values are always handled in their encoded (bencoded) form, verbatim as received.
 */
public final class Bep44 {
    /** BEP 44 "Messages": storing nodes may reject a {@code v} whose bencoded form is longer than 1000 bytes. */
    public static final int MAX_VALUE_BYTES = 1000;
    /** BEP 44 "Mutable Items": the salt MUST NOT be longer than 64 bytes. */
    public static final int MAX_SALT_BYTES = 64;

    private Bep44() {
    }

    /**
     * BEP 44 "Signature Verification": {@code 4:salt<len>:<salt>3:seqi<seq>e1:v} followed by the encoded value, the
     * salt part only when the salt is non-empty.
     */
    public static byte[] signatureBuffer(byte[] salt, long seq, byte[] encodedValue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encodedValue.length + salt.length + 40);
        if (salt.length > 0) {
            out.writeBytes(ascii("4:salt" + salt.length + ":"));
            out.writeBytes(salt);
        }
        out.writeBytes(ascii("3:seqi" + seq + "e1:v"));
        out.writeBytes(encodedValue);
        return out.toByteArray();
    }

    /** BEP 44 "Immutable Items": the target is the SHA-1 of the encoded value. */
    public static NodeId immutableTarget(byte[] encodedValue) {
        return NodeId.sha1(encodedValue);
    }

    /** BEP 44 "Mutable Items": the target is the SHA-1 of the public key followed by the salt (if any). */
    public static NodeId mutableTarget(byte[] publicKey, byte[] salt) {
        if (publicKey.length != Ed25519.PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("BEP 44 key must be " + Ed25519.PUBLIC_KEY_BYTES + " bytes, got " + publicKey.length);
        }
        return NodeId.sha1(publicKey, salt);
    }

    /** Signs a mutable item: the signature to send as {@code sig} in a put. */
    public static byte[] signMutable(Ed25519KeyPair key, byte[] salt, long seq, byte[] encodedValue) {
        return key.sign(signatureBuffer(salt, seq, encodedValue));
    }

    /** True when {@code signature} signs this mutable item under {@code publicKey}; false for any malformed input. */
    public static boolean verifyMutable(byte[] publicKey, byte[] salt, long seq, byte[] encodedValue, byte[] signature) {
        return verifyMutable(SignatureVerifier.ED25519, publicKey, salt, seq, encodedValue, signature);
    }

    /** {@link #verifyMutable(byte[], byte[], long, byte[], byte[])} through {@code verifier}. */
    public static boolean verifyMutable(SignatureVerifier verifier, byte[] publicKey, byte[] salt, long seq,
                                        byte[] encodedValue, byte[] signature) {
        return verifier.verify(publicKey, signatureBuffer(salt, seq, encodedValue), signature);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
