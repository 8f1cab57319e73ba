package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

/** BEP 5 get_peers: peers for {@code infoHash}, or closer nodes, plus a write token. */
public record GetPeersQuery(TransactionId transactionId, NodeId sender, NodeId infoHash) implements KrpcQuery {
    public GetPeersQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.present(infoHash, "info_hash");
    }

    @Override
    public String method() {
        return GET_PEERS;
    }
}
