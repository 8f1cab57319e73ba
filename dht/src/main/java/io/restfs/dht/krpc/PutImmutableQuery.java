package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

import java.util.Arrays;

/** BEP 44 put of an immutable item; {@code value} is the bencoded {@code v}, stored under its SHA-1. */
public record PutImmutableQuery(TransactionId transactionId, NodeId sender, byte[] token, byte[] value,
                                boolean readOnly)
        implements KrpcQuery {
    public PutImmutableQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.atMost(token, KrpcLimits.MAX_TOKEN_BYTES, "token");
        EncodedValue.check(value);
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public PutImmutableQuery(TransactionId transactionId, NodeId sender, byte[] token, byte[] value) {
        this(transactionId, sender, token, value, false);
    }

    @Override
    public PutImmutableQuery withReadOnly(boolean readOnly) {
        return new PutImmutableQuery(transactionId, sender, token, value, readOnly);
    }

    @Override
    public String method() {
        return PUT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PutImmutableQuery q && transactionId.equals(q.transactionId) && sender.equals(q.sender)
                && Arrays.equals(token, q.token) && Arrays.equals(value, q.value) && readOnly == q.readOnly;
    }

    @Override
    public int hashCode() {
        return (transactionId.hashCode() * 31 + sender.hashCode()) * 31 + Arrays.hashCode(token) * 17
                + Arrays.hashCode(value) * 2 + (readOnly ? 1 : 0);
    }

    @Override
    public String toString() {
        return "PutImmutableQuery[t=" + transactionId + ", id=" + sender + ", token=" + Hex.of(token) + ", v="
                + Hex.of(value) + ", ro=" + readOnly + "]";
    }
}
