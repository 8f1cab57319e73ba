package io.restfs.node.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;

import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.websocket.ClientEndpointConfig;
import javax.websocket.CloseReason;
import javax.websocket.Endpoint;
import javax.websocket.EndpointConfig;
import javax.websocket.Session;

import org.apache.tomcat.websocket.WsWebSocketContainer;

/**
 * A test's own /ws client: sends raw text frames and collects what the node sends back, and can do the node link
 * handshake with any key and cluster key (to play an honest node, a stranger, or a forger).
 */
public final class WsProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WsWebSocketContainer container = new WsWebSocketContainer();
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile CloseReason closeReason;
    private final Session session;
    private final java.util.concurrent.ScheduledExecutorService beats =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ws-probe-heartbeat");
                t.setDaemon(true);
                return t;
            });

    private WsProbe(URI uri, String bearer) throws Exception {
        ClientEndpointConfig.Builder b = ClientEndpointConfig.Builder.create();
        if (bearer != null) {
            b.configurator(new ClientEndpointConfig.Configurator() {
                @Override
                public void beforeRequest(Map<String, List<String>> headers) {
                    headers.put("Authorization", List.of("Bearer " + bearer));
                }
            });
        }
        session = container.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig config) {
                s.addMessageHandler(String.class, text -> {
                    try {
                        frames.add(JSON.readTree(text));
                    } catch (Exception e) {
                        frames.add(JSON.createObjectNode().put("type", "unparseable").put("text", text));
                    }
                });
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                closeReason = reason;
                closed.countDown();
            }
        }, b.build(), uri);
    }

    public static WsProbe open(String apiUrl) throws Exception {
        return new WsProbe(URI.create(apiUrl.replace("http://", "ws://") + "/ws"), null);
    }

    public static WsProbe open(String apiUrl, String bearer) throws Exception {
        return new WsProbe(URI.create(apiUrl.replace("http://", "ws://") + "/ws"), bearer);
    }

    public void send(String text) throws Exception {
        synchronized (session) {
            session.getBasicRemote().sendText(text);
        }
    }

    public void send(JsonNode frame) throws Exception {
        send(frame.toString());
    }

    /** The next frame matching {@code test}, skipping others; fails after {@code seconds}. */
    public JsonNode await(Predicate<JsonNode> test, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError("no matching frame in " + seconds + " s");
            }
            if (test.test(f)) {
                return f;
            }
        }
    }

    public JsonNode awaitType(String type, long seconds) throws InterruptedException {
        return await(f -> type.equals(f.path("type").asText()), seconds);
    }

    /** True when the node closed the connection within {@code seconds}. */
    public boolean awaitClosed(long seconds) throws InterruptedException {
        return closed.await(seconds, TimeUnit.SECONDS);
    }

    public CloseReason closeReason() {
        return closeReason;
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    /**
     * Does the client side of the link handshake as node {@code key} holding {@code clusterKey}; returns the
     * node's next frame after our auth (welcome when accepted, an error when refused).
     */
    public JsonNode link(Ed25519KeyPair key, byte[] clusterKey) throws Exception {
        JsonNode hello = awaitType("hello", 10);
        byte[] serverNonce = Base64.getUrlDecoder().decode(hello.get("nonce").asText());
        NodeId serverId = NodeId.fromHex(hello.get("nodeId").asText());
        byte[] clientNonce = new byte[LinkProof.NONCE_BYTES];
        new java.security.SecureRandom().nextBytes(clientNonce);
        byte[] t = LinkProof.transcript(LinkProof.Role.CLIENT, serverNonce, clientNonce, serverId, key.nodeId());
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        ObjectNode auth = JSON.createObjectNode().put("type", "auth").put("nodeId", key.nodeId().toHex())
                .put("publicKey", b64.encodeToString(key.publicKey())).put("nonce", b64.encodeToString(clientNonce))
                .put("mac", b64.encodeToString(LinkProof.mac(clusterKey, t)))
                .put("sig", b64.encodeToString(LinkProof.sign(key, t)));
        send(auth);
        // A linked node that stays silent is declared dead; keep beating like a real node.
        beats.scheduleWithFixedDelay(() -> {
            try {
                send("{\"type\":\"heartbeat\"}");
            } catch (Exception e) {
                // Closed: nothing more to keep alive.
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        return await(f -> f.path("type").asText().equals("welcome") || f.path("type").asText().equals("error"), 10);
    }

    /** An announce frame carrying {@code a}. */
    public static ObjectNode announceFrame(Announcement a) {
        ObjectNode f = JSON.createObjectNode().put("type", "announce");
        f.set("data", a.toJson());
        return f;
    }

    /** A signed announcement of {@code key} with made-up ports. */
    public static Announcement announcement(Ed25519KeyPair key, long seq) {
        return Announcement.sign(key, "127.0.0.1", 1, 2, 3, "probe", 1000, 1000, seq, false);
    }

    /** The same announcement with its signature's first byte flipped. */
    public static Announcement tampered(Announcement a) {
        byte[] sig = a.signature().clone();
        sig[0] ^= 1;
        return a.withSignature(sig);
    }

    @Override
    public void close() {
        beats.shutdownNow();
        try {
            session.close();
        } catch (Exception e) {
            // Already closed by the node.
        }
        container.destroy();
    }
}
