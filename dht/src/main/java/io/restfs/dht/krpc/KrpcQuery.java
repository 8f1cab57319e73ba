package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

/**
 * A KRPC query ("y" = "q"). One record per method; {@link UnknownQuery} stands for any method this node does not
 * implement, so the node can answer it with error 204.
 */
public sealed interface KrpcQuery extends KrpcMessage
        permits PingQuery, FindNodeQuery, GetPeersQuery, AnnouncePeerQuery, GetQuery, PutImmutableQuery,
        PutMutableQuery, RestfsInfoQuery, RestfsSilentQuery, UnknownQuery {
    /** BEP 5 method names, BEP 44's get and put, and the restfs extensions. */
    String PING = "ping";
    String FIND_NODE = "find_node";
    String GET_PEERS = "get_peers";
    String ANNOUNCE_PEER = "announce_peer";
    String GET = "get";
    String PUT = "put";
    String RESTFS_INFO = "restfs_info";
    String RESTFS_SILENT = "restfs_silent";

    /** The querying node's id ("a"."id"). */
    NodeId sender();

    /** The method name sent as "q". */
    String method();

    /**
     * BEP 43: the querier is a read-only node (top-level {@code "ro": 1}). Such a query is answered, but its sender
     * is not added to the routing table: it will not answer queries itself.
     */
    boolean readOnly();

    /** This query with BEP 43's read-only flag set or cleared. */
    KrpcQuery withReadOnly(boolean readOnly);

    @Override
    default MessageKind kind() {
        return MessageKind.QUERY;
    }
}
