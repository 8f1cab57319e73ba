package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

/** BEP 5 get_peers: peers for {@code infoHash}, or closer nodes, plus a write token. */
public record GetPeersQuery(TransactionId transactionId, NodeId sender, NodeId infoHash, boolean readOnly)
        implements KrpcQuery {
    public GetPeersQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.present(infoHash, "info_hash");
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public GetPeersQuery(TransactionId transactionId, NodeId sender, NodeId infoHash) {
        this(transactionId, sender, infoHash, false);
    }

    @Override
    public GetPeersQuery withReadOnly(boolean readOnly) {
        return new GetPeersQuery(transactionId, sender, infoHash, readOnly);
    }

    @Override
    public String method() {
        return GET_PEERS;
    }
}
