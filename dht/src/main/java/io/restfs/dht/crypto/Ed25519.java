package io.restfs.dht.crypto;

import io.restfs.dht.id.NodeId;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Ed25519 (RFC 8032) verification through Bouncy Castle, and the restfs rule that a node's id is its key's hash. */
public final class Ed25519 {
    /** RFC 8032 section 5.1.5: a public key is a 32-byte encoded point. */
    public static final int PUBLIC_KEY_BYTES = 32;
    /** RFC 8032 section 5.1.5: the private key is a 32-byte seed. */
    public static final int SEED_BYTES = 32;
    /** RFC 8032 section 5.1.6: a signature is R (32 bytes) followed by S (32 bytes). */
    public static final int SIGNATURE_BYTES = 64;

    private Ed25519() {
    }

    /**
     * True when {@code signature} is a valid signature of {@code message} under {@code publicKey}. Wrong sizes and
     * keys that are not valid curve points give false, never an exception: these bytes come from the network.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || message == null || signature == null
                || publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        Ed25519PublicKeyParameters key;
        try {
            key = new Ed25519PublicKeyParameters(publicKey, 0);
        } catch (IllegalArgumentException notAPoint) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** A restfs node's id: the SHA-1 of its 32-byte Ed25519 public key (checked by peers on first contact). */
    public static NodeId nodeIdOf(byte[] publicKey) {
        if (publicKey.length != PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("Ed25519 public key must be " + PUBLIC_KEY_BYTES + " bytes, got " + publicKey.length);
        }
        return NodeId.sha1(publicKey);
    }
}
