package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

/** BEP 5 find_node: the contacts closest to {@code target}. */
public record FindNodeQuery(TransactionId transactionId, NodeId sender, NodeId target, boolean readOnly)
        implements KrpcQuery {
    public FindNodeQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.present(target, "target");
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public FindNodeQuery(TransactionId transactionId, NodeId sender, NodeId target) {
        this(transactionId, sender, target, false);
    }

    @Override
    public FindNodeQuery withReadOnly(boolean readOnly) {
        return new FindNodeQuery(transactionId, sender, target, readOnly);
    }

    @Override
    public String method() {
        return FIND_NODE;
    }
}
