package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

import java.util.OptionalLong;

/**
 * BEP 44 get, for an immutable or a mutable item (the two are not distinguished). With {@code seq}, the holder
 * omits k, v and sig when its item's sequence number is not greater.
 */
public record GetQuery(TransactionId transactionId, NodeId sender, NodeId target, OptionalLong seq, boolean readOnly)
        implements KrpcQuery {
    public GetQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.present(target, "target");
        Checks.present(seq, "seq");
        if (seq.isPresent()) {
            Checks.nonNegative(seq.getAsLong(), "seq");
        }
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public GetQuery(TransactionId transactionId, NodeId sender, NodeId target, OptionalLong seq) {
        this(transactionId, sender, target, seq, false);
    }

    @Override
    public GetQuery withReadOnly(boolean readOnly) {
        return new GetQuery(transactionId, sender, target, seq, readOnly);
    }

    public GetQuery(TransactionId transactionId, NodeId sender, NodeId target) {
        this(transactionId, sender, target, OptionalLong.empty());
    }

    @Override
    public String method() {
        return GET;
    }
}
