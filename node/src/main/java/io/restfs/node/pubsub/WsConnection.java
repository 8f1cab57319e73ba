package io.restfs.node.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.id.NodeId;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.websocket.CloseReason;
import javax.websocket.Session;

/**
 * One /ws connection, from either end: a node or API client that connected to us, or our own link to another
 * node. Holds what the peer has proven (a node id, after the link handshake) and what it subscribed to, and sends
 * frames one at a time (the WebSocket API allows one send in flight per session).
 */
final class WsConnection {
    /** Tomcat's per-session limit on a blocking send; a peer that does not read for this long is cut off. */
    static final String SEND_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    static final long SEND_TIMEOUT_MILLIS = 5_000;

    enum Role { SERVER, CLIENT }

    final Role role;
    final Session session;
    /** What the peer must be, when we dialled a known member; null when any member of the cluster will do. */
    final NodeId expectedPeer;
    final Set<String> topics = ConcurrentHashMap.newKeySet();
    /** The handshake's values, kept until the link is proven. */
    volatile byte[] serverNonce;
    volatile byte[] clientNonce;
    volatile NodeId helloId;
    volatile byte[] helloPublicKey;
    /** Set once the peer proved it is this node of our cluster. */
    volatile NodeId peer;
    volatile long lastReceivedMillis;
    /** True once the peer said it is leaving: its close is then no death. */
    volatile boolean peerLeaving;
    final String bearerToken;

    WsConnection(Role role, Session session, NodeId expectedPeer, String bearerToken, long nowMillis) {
        this.role = role;
        this.session = session;
        this.expectedPeer = expectedPeer;
        this.bearerToken = bearerToken == null ? "" : bearerToken;
        this.lastReceivedMillis = nowMillis;
        session.getUserProperties().put(SEND_TIMEOUT_PROPERTY, SEND_TIMEOUT_MILLIS);
    }

    boolean isLinked() {
        return peer != null;
    }

    /** Sends a frame; a failed send closes the connection (its close handler then does the bookkeeping). */
    void send(ObjectNode frame) {
        synchronized (this) {
            if (!session.isOpen()) {
                return;
            }
            try {
                session.getBasicRemote().sendText(frame.toString());
            } catch (IOException | IllegalStateException e) {
                close(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "send failed");
            }
        }
    }

    void sendError(String code, String message) {
        ObjectNode f = frame("error");
        f.put("code", code);
        f.put("message", message);
        send(f);
    }

    void close(CloseReason.CloseCode code, String reason) {
        try {
            if (session.isOpen()) {
                session.close(new CloseReason(code, reason.length() > 120 ? reason.substring(0, 120) : reason));
            }
        } catch (IOException | IllegalStateException e) {
            // Already closing: nothing left to tell the peer.
        }
    }

    static ObjectNode frame(String type) {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("type", type);
        return f;
    }

    static ObjectNode event(String topic, JsonNode data) {
        ObjectNode f = frame("event");
        f.put("topic", topic);
        f.set("data", data);
        return f;
    }

    @Override
    public String toString() {
        return "ws[" + role.name().toLowerCase() + " " + (peer != null ? peer.toHex().substring(0, 8) : session.getId())
                + "]";
    }
}
