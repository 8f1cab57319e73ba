package io.restfs.dht.crypto;

/**
 * Checks Ed25519 signatures for a node (restfs_info on first contact, BEP 44 items). Production verifies every
 * time ({@link #ED25519}); a simulator running thousands of nodes in one process can share one
 * {@link CachingSignatureVerifier} among them, since each node's signed info is checked by hundreds of peers.
 */
@FunctionalInterface
public interface SignatureVerifier {
    /** Plain verification through {@link Ed25519#verify}, every time. */
    SignatureVerifier ED25519 = Ed25519::verify;

    /**
     * True when {@code signature} is a valid Ed25519 signature of {@code message} under {@code publicKey}; false
     * for any malformed input, never an exception.
     */
    boolean verify(byte[] publicKey, byte[] message, byte[] signature);
}
