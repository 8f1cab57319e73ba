package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

/**
 * restfs extension: tells a node that a contact it handed out in an answer, {@code silent}, did not answer the
 * querier through all its sends. The receiver does not take the querier's word for it: when the contact is in its
 * routing table and has been silent a while, it pings the contact itself, so a departed node leaves its answers
 * within seconds instead of at its next scheduled ping, minutes later, while a live one answers and stays. Mainline
 * peers answer it with error 204, which costs nothing. The answer carries only the responder's id.
 */
public record RestfsSilentQuery(TransactionId transactionId, NodeId sender, NodeId silent, boolean readOnly)
        implements KrpcQuery {
    public RestfsSilentQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.present(silent, "target");
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public RestfsSilentQuery(TransactionId transactionId, NodeId sender, NodeId silent) {
        this(transactionId, sender, silent, false);
    }

    @Override
    public RestfsSilentQuery withReadOnly(boolean readOnly) {
        return new RestfsSilentQuery(transactionId, sender, silent, readOnly);
    }

    @Override
    public String method() {
        return RESTFS_SILENT;
    }
}
