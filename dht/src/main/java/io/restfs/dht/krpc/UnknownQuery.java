package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

import java.util.Set;

/**
 * A well-formed query for a method this codec does not know (its "a" carried a valid id); the node answers it with
 * error 204. Encoding one sends only the id as argument.
 */
public record UnknownQuery(TransactionId transactionId, NodeId sender, String method, boolean readOnly)
        implements KrpcQuery {
    private static final Set<String> KNOWN = Set.of(PING, FIND_NODE, GET_PEERS, ANNOUNCE_PEER, GET, PUT, RESTFS_INFO,
            RESTFS_SILENT);

    public UnknownQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.present(method, "method");
        if (method.length() > KrpcLimits.MAX_METHOD_BYTES) {
            throw new IllegalArgumentException("method name longer than " + KrpcLimits.MAX_METHOD_BYTES + ": " + method.length());
        }
        if (method.isEmpty() || !method.chars().allMatch(c -> c <= 0xff)) {
            // Method names travel as ISO-8859-1 so that any received byte string maps to a String and back.
            throw new IllegalArgumentException("method name must be 1 or more ISO-8859-1 characters");
        }
        if (KNOWN.contains(method)) {
            throw new IllegalArgumentException("\"" + method + "\" is a known method, not an unknown one");
        }
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public UnknownQuery(TransactionId transactionId, NodeId sender, String method) {
        this(transactionId, sender, method, false);
    }

    @Override
    public UnknownQuery withReadOnly(boolean readOnly) {
        return new UnknownQuery(transactionId, sender, method, readOnly);
    }
}
