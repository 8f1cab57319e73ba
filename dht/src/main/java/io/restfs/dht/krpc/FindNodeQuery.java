package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

/** BEP 5 find_node: the contacts closest to {@code target}. */
public record FindNodeQuery(TransactionId transactionId, NodeId sender, NodeId target) implements KrpcQuery {
    public FindNodeQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.present(target, "target");
    }

    @Override
    public String method() {
        return FIND_NODE;
    }
}
