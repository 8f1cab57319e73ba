package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

/** BEP 5 ping. */
public record PingQuery(TransactionId transactionId, NodeId sender) implements KrpcQuery {
    public PingQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
    }

    @Override
    public String method() {
        return PING;
    }
}
