package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

/**
 * restfs extension: asks a node for its signed {@link RestfsNodeInfo}. Mainline peers answer it with error 204,
 * which marks them as routing-only peers.
 */
public record RestfsInfoQuery(TransactionId transactionId, NodeId sender, boolean readOnly) implements KrpcQuery {
    public RestfsInfoQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public RestfsInfoQuery(TransactionId transactionId, NodeId sender) {
        this(transactionId, sender, false);
    }

    @Override
    public RestfsInfoQuery withReadOnly(boolean readOnly) {
        return new RestfsInfoQuery(transactionId, sender, readOnly);
    }

    @Override
    public String method() {
        return RESTFS_INFO;
    }
}
