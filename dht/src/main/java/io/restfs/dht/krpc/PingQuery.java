package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

/** BEP 5 ping. */
public record PingQuery(TransactionId transactionId, NodeId sender, boolean readOnly) implements KrpcQuery {
    public PingQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public PingQuery(TransactionId transactionId, NodeId sender) {
        this(transactionId, sender, false);
    }

    @Override
    public PingQuery withReadOnly(boolean readOnly) {
        return new PingQuery(transactionId, sender, readOnly);
    }

    @Override
    public String method() {
        return PING;
    }
}
