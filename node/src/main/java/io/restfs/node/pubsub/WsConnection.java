package io.restfs.node.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.id.NodeId;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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

    /**
     * Bucket events that may wait for a connection before it counts as not reading and is closed: a few seconds of
     * a busy bucket's events, under a megabyte (an event is a path and a few fields).
     */
    static final int MAX_QUEUED_EVENTS = 4096;

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
    /** Bucket events not yet sent, oldest first (see {@link #sendLater}); guarded by itself. */
    private final ArrayDeque<String> queuedEvents = new ArrayDeque<>();
    /** Whether a sender thread is working through {@link #queuedEvents}; guarded by queuedEvents. */
    private boolean draining;
    /** Set once the queue overflowed; guarded by queuedEvents. */
    private boolean tooSlow;

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
        sendText(frame.toString());
    }

    private void sendText(String text) {
        synchronized (this) {
            if (!session.isOpen()) {
                return;
            }
            try {
                session.getBasicRemote().sendText(text);
            } catch (IOException | IllegalStateException e) {
                close(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "send failed");
            }
        }
    }

    /**
     * Queues a bucket event and returns at once: one of {@code sender}'s threads sends this connection's queue in
     * order, a blocking send at a time (at most {@link #SEND_TIMEOUT_MILLIS} each before a peer that does not read
     * is cut off). Publishers are writes, which must not wait for subscribers. When more than
     * {@link #MAX_QUEUED_EVENTS} wait, the queue is dropped and the connection closed (1008, too slow) on a sender
     * thread, and this returns false, that once; the subscriber learns from the close that it missed events.
     */
    boolean sendLater(ObjectNode frame, Executor sender) {
        String text = frame.toString();
        boolean overflow;
        synchronized (queuedEvents) {
            if (tooSlow || !session.isOpen()) {
                return true;
            }
            overflow = queuedEvents.size() >= MAX_QUEUED_EVENTS;
            if (overflow) {
                tooSlow = true;
                queuedEvents.clear();
            } else {
                queuedEvents.add(text);
                if (draining) {
                    return true;
                }
                draining = true;
            }
        }
        try {
            if (overflow) {
                // Closing sends a close frame, which can block like any send: not on the publisher's thread.
                sender.execute(() -> close(CloseReason.CloseCodes.VIOLATED_POLICY, "too slow: over "
                        + MAX_QUEUED_EVENTS + " events waiting"));
                return false;
            }
            sender.execute(this::drainEvents);
        } catch (RejectedExecutionException e) {
            // The node is stopping and closes every connection itself.
        }
        return true;
    }

    private void drainEvents() {
        while (true) {
            String next;
            synchronized (queuedEvents) {
                next = queuedEvents.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            sendText(next);
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
