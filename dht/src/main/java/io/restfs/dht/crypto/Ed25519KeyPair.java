package io.restfs.dht.crypto;

import io.restfs.dht.id.NodeId;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** An Ed25519 signing key (its 32-byte seed) with its public key; signs node info and BEP 44 mutable items. */
public final class Ed25519KeyPair {
    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private Ed25519KeyPair(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
    }

    /** A fresh key from {@code random} (production passes a {@link SecureRandom}; tests pass a seeded one). */
    public static Ed25519KeyPair generate(SecureRandom random) {
        byte[] seed = new byte[Ed25519.SEED_BYTES];
        random.nextBytes(seed);
        return fromSeed(seed);
    }

    /** The key whose RFC 8032 private seed is {@code seed} (32 bytes). */
    public static Ed25519KeyPair fromSeed(byte[] seed) {
        if (seed.length != Ed25519.SEED_BYTES) {
            throw new IllegalArgumentException("Ed25519 seed must be " + Ed25519.SEED_BYTES + " bytes, got " + seed.length);
        }
        return new Ed25519KeyPair(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /** The 32-byte public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * A 64-bit secret for {@code purpose}, derived from the private seed (SHA-256 of the purpose and the seed), so
     * a node has keys for its internal tables that peers cannot predict and the seed itself never leaves here.
     */
    public long derivedSecret(String purpose) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(purpose.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(privateKey.getEncoded());
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The 32-byte private seed (a copy); only the key file should need it. */
    public byte[] seed() {
        return privateKey.getEncoded();
    }

    /** This key's node id: SHA-1 of the public key. */
    public NodeId nodeId() {
        return Ed25519.nodeIdOf(publicKey);
    }

    /** The 64-byte signature of {@code message} (deterministic, RFC 8032). */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public String toString() {
        // Never print the seed.
        return "Ed25519KeyPair[public=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
