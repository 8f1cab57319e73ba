package io.restfs.dht.krpc;

import io.restfs.dht.crypto.Bep44;
import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.id.NodeId;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * BEP 44 put of a mutable item: {@code value} (bencoded {@code v}) signed by {@code publicKey} over salt, seq and
 * value. {@code salt} is empty when absent. With {@code cas}, the holder stores only if its current seq equals it.
 */
public record PutMutableQuery(TransactionId transactionId, NodeId sender, byte[] token, byte[] value,
                              byte[] publicKey, byte[] signature, long seq, byte[] salt, OptionalLong cas,
                              boolean readOnly)
        implements KrpcQuery {
    public PutMutableQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.atMost(token, KrpcLimits.MAX_TOKEN_BYTES, "token");
        EncodedValue.check(value);
        Checks.exactly(publicKey, Ed25519.PUBLIC_KEY_BYTES, "k");
        Checks.exactly(signature, Ed25519.SIGNATURE_BYTES, "sig");
        Checks.nonNegative(seq, "seq");
        Checks.atMost(salt, KrpcLimits.MAX_SALT_BYTES, "salt");
        Checks.present(cas, "cas");
        if (cas.isPresent()) {
            Checks.nonNegative(cas.getAsLong(), "cas");
        }
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public PutMutableQuery(TransactionId transactionId, NodeId sender, byte[] token, byte[] value, byte[] publicKey,
                           byte[] signature, long seq, byte[] salt, OptionalLong cas) {
        this(transactionId, sender, token, value, publicKey, signature, seq, salt, cas, false);
    }

    @Override
    public PutMutableQuery withReadOnly(boolean readOnly) {
        return new PutMutableQuery(transactionId, sender, token, value, publicKey, signature, seq, salt, cas, readOnly);
    }

    @Override
    public String method() {
        return PUT;
    }

    /** The key the item is stored under: SHA-1 of k and salt (BEP 44). */
    public NodeId target() {
        return Bep44.mutableTarget(publicKey, salt);
    }

    /** True when {@code signature} signs salt, seq and value under {@code publicKey}. */
    public boolean signatureValid() {
        return Bep44.verifyMutable(publicKey, salt, seq, value, signature);
    }

    /** {@link #signatureValid()} through {@code verifier}. */
    public boolean signatureValid(io.restfs.dht.crypto.SignatureVerifier verifier) {
        return Bep44.verifyMutable(verifier, publicKey, salt, seq, value, signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PutMutableQuery q && transactionId.equals(q.transactionId) && sender.equals(q.sender)
                && Arrays.equals(token, q.token) && Arrays.equals(value, q.value)
                && Arrays.equals(publicKey, q.publicKey) && Arrays.equals(signature, q.signature) && seq == q.seq
                && Arrays.equals(salt, q.salt) && cas.equals(q.cas) && readOnly == q.readOnly;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {transactionId, sender, token, value, publicKey, signature, seq, salt, cas,
                readOnly});
    }

    @Override
    public String toString() {
        return "PutMutableQuery[t=" + transactionId + ", id=" + sender + ", token=" + Hex.of(token) + ", v="
                + Hex.of(value) + ", k=" + Hex.of(publicKey) + ", sig=" + Hex.of(signature) + ", seq=" + seq
                + ", salt=" + Hex.of(salt) + ", cas=" + cas + ", ro=" + readOnly + "]";
    }
}
