package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

import java.util.Arrays;

/**
 * BEP 5 announce_peer. When {@code impliedPort} is set the receiver uses the datagram's source port and ignores
 * {@code port}; the token is the one a previous get_peers returned.
 */
public record AnnouncePeerQuery(TransactionId transactionId, NodeId sender, NodeId infoHash, int port,
                                boolean impliedPort, byte[] token, boolean readOnly) implements KrpcQuery {
    public AnnouncePeerQuery {
        Checks.present(transactionId, "transaction id");
        Checks.present(sender, "id");
        Checks.present(infoHash, "info_hash");
        Checks.port(port, "port");
        Checks.atMost(token, KrpcLimits.MAX_TOKEN_BYTES, "token");
    }

    /** A query from a full node (no BEP 43 "ro" flag). */
    public AnnouncePeerQuery(TransactionId transactionId, NodeId sender, NodeId infoHash, int port,
                             boolean impliedPort, byte[] token) {
        this(transactionId, sender, infoHash, port, impliedPort, token, false);
    }

    @Override
    public AnnouncePeerQuery withReadOnly(boolean readOnly) {
        return new AnnouncePeerQuery(transactionId, sender, infoHash, port, impliedPort, token, readOnly);
    }

    @Override
    public String method() {
        return ANNOUNCE_PEER;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnouncePeerQuery q && transactionId.equals(q.transactionId) && sender.equals(q.sender)
                && infoHash.equals(q.infoHash) && port == q.port && impliedPort == q.impliedPort
                && Arrays.equals(token, q.token) && readOnly == q.readOnly;
    }

    @Override
    public int hashCode() {
        return ((transactionId.hashCode() * 31 + sender.hashCode()) * 31 + infoHash.hashCode()) * 31
                + port * 4 + (impliedPort ? 2 : 0) + (readOnly ? 1 : 0) + Arrays.hashCode(token);
    }

    @Override
    public String toString() {
        return "AnnouncePeerQuery[t=" + transactionId + ", id=" + sender + ", info_hash=" + infoHash + ", port=" + port
                + ", implied_port=" + impliedPort + ", token=" + Hex.of(token) + ", ro=" + readOnly + "]";
    }
}
