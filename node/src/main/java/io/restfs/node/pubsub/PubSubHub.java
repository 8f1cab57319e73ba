package io.restfs.node.pubsub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restfs.api.BucketEvent;
import io.restfs.api.Limits;
import io.restfs.dht.id.NodeId;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.websocket.CloseReason;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The /ws pub/sub service: keeps every connection and what it subscribed to, turns text frames into actions, and
 * sends each published event to the topic's subscribers. Bad frames get an error frame and change nothing. Node
 * links (discovery) are handed to {@link Discovery}; API clients subscribe to bucket topics with a bearer token, and
 * a bucket event published here also goes once to every linked member, which hands it to its own subscribers.
 */
public final class PubSubHub implements Publisher {
    /** Largest frame we read. */
    public static final int MAX_FRAME_CHARS = Limits.MAX_PUBSUB_FRAME_CHARS;
    /** What the WebSocket layer buffers before giving up on a message; frames between this and the above get an
     *  error frame, larger ones close the connection (code 1009). */
    static final int MAX_BUFFERED_CHARS = 1024 * 1024;
    /** A client following more buckets than this should open another connection. */
    static final int MAX_TOPICS_PER_CONNECTION = 256;
    /** JSON nesting our frames never need; deeper input is refused before it costs stack. */
    static final int MAX_NESTING = 32;

    /** Threads that send bucket events; each works through one connection's queue at a time. */
    static final int EVENT_SENDERS = 4;

    /** The kinds of change a bucket event reports (BucketEvent's types). */
    static final Set<String> BUCKET_EVENT_TYPES = Set.of(BucketEvent.CREATED, BucketEvent.CHANGED, BucketEvent.DELETED);

    private static final Logger log = LoggerFactory.getLogger(PubSubHub.class);

    private final Set<WsConnection> connections = ConcurrentHashMap.newKeySet();
    private final ObjectMapper mapper;
    private final LongSupplier clock;
    private volatile SubscriberAuthorizer authorizer = SubscriberAuthorizer.refuseAll();
    private volatile Discovery discovery;
    /**
     * Sends bucket events off the publishing thread, which is a write's: a subscriber (or member) that stops reading
     * would otherwise hold every write to its bucket for the send timeout. See {@link WsConnection#sendLater}.
     */
    private final ThreadPoolExecutor eventSender = new ThreadPoolExecutor(EVENT_SENDERS, EVENT_SENDERS, 30,
            TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "restfs-ws-events");
                t.setDaemon(true);
                return t;
            });

    private final AtomicLong slowClosed = new AtomicLong();

    public PubSubHub(LongSupplier clock) {
        this.clock = clock;
        this.mapper = JsonMapper.builder().build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING).maxStringLength(MAX_FRAME_CHARS).build());
        eventSender.allowCoreThreadTimeOut(true);
    }

    /** Plugs in the API's token check for bucket subscriptions (until then every client is refused). */
    public void setAuthorizer(SubscriberAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** The /ws endpoint to deploy in the web server (before it starts). */
    public javax.websocket.server.ServerEndpointConfig endpointConfig() {
        return WsEndpoints.serverConfig(this);
    }

    void attach(Discovery discovery) {
        this.discovery = discovery;
    }

    /**
     * Publishes a change made on this node: to this node's subscribers of {@code topic} and, for a bucket topic, to
     * every linked member once, which hands it to its own subscribers (members are fully linked, so one hop reaches
     * them all and nothing is relayed further).
     */
    @Override
    public void publish(String topic, Object jsonEvent) {
        if (!Topics.isValid(topic)) {
            throw new IllegalArgumentException("not a valid topic: " + topic);
        }
        JsonNode data = mapper.valueToTree(jsonEvent);
        publish(topic, data, null);
        if (Topics.isBucket(topic)) {
            ObjectNode frame = WsConnection.event(topic, data);
            Set<NodeId> sentTo = new HashSet<>();
            for (WsConnection c : connections) {
                // Two members may hold two links with each other for a while: one copy per member.
                if (c.isLinked() && sentTo.add(c.peer)) {
                    sendEvent(c, frame);
                }
            }
        }
    }

    /**
     * Sends {@code data} as an event on {@code topic} to every subscriber but {@code except}. Bucket events go to
     * API clients only: members get them from the node that made the change ({@link #publish(String, Object)}).
     */
    void publish(String topic, JsonNode data, WsConnection except) {
        ObjectNode frame = WsConnection.event(topic, data);
        boolean clientsOnly = Topics.isBucket(topic);
        for (WsConnection c : connections) {
            if (c != except && c.topics.contains(topic) && !(clientsOnly && c.isLinked())) {
                if (clientsOnly) {
                    sendEvent(c, frame);
                } else {
                    c.send(frame);
                }
            }
        }
    }

    /** A bucket event a member published: checked, then handed to this node's subscribers (never passed on). */
    private void memberBucketEvent(WsConnection from, String topic, JsonNode data) {
        Optional<String> problem = bucketEventProblem(data);
        if (problem.isPresent()) {
            log.warn("/ws {}: refused a bucket event: {}", from, problem.get());
            from.sendError("bad_frame", problem.get());
            return;
        }
        publish(topic, data, from);
    }

    /** What is wrong with a bucket event's data, if anything: it must be what {@code BucketEvent} serializes to. */
    static Optional<String> bucketEventProblem(JsonNode data) {
        if (data == null || !data.isObject() || data.size() != 3) {
            return Optional.of("a bucket event's data is an object of type, path and version");
        }
        String type = data.path("type").asText("");
        if (!data.path("type").isTextual() || !BUCKET_EVENT_TYPES.contains(type)) {
            return Optional.of("a bucket event's type is one of " + BUCKET_EVENT_TYPES + ", got "
                    + truncate(String.valueOf(data.get("type"))));
        }
        if (!data.path("path").isTextual() || !data.path("path").asText().startsWith("/")) {
            return Optional.of("a bucket event's path is a string starting with /");
        }
        if (!data.path("version").canConvertToExactIntegral() || data.path("version").asLong() < 0) {
            return Optional.of("a bucket event's version is a whole number >= 0");
        }
        return Optional.empty();
    }

    /** Open connections (nodes and clients). */
    public int connectionCount() {
        return connections.size();
    }

    List<WsConnection> connections() {
        return List.copyOf(connections);
    }

    long now() {
        return clock.getAsLong();
    }

    void opened(WsConnection c) {
        connections.add(c);
        Discovery d = discovery;
        if (c.role == WsConnection.Role.SERVER && d != null) {
            d.sendHello(c);
        }
    }

    void closed(WsConnection c) {
        if (connections.remove(c)) {
            Discovery d = discovery;
            if (d != null) {
                d.onClosed(c);
            }
        }
    }

    /** Handles one text frame; never throws. */
    void received(WsConnection c, String text) {
        c.lastReceivedMillis = clock.getAsLong();
        if (text.length() > MAX_FRAME_CHARS) {
            c.sendError("too_large", "frame of " + text.length() + " characters; the limit is " + MAX_FRAME_CHARS);
            return;
        }
        JsonNode f;
        try {
            f = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            c.sendError("bad_frame", "not JSON: " + e.getOriginalMessage());
            return;
        }
        if (f == null || !f.isObject() || !f.path("type").isTextual()) {
            c.sendError("bad_frame", "a frame is a JSON object with a string \"type\"");
            return;
        }
        try {
            dispatch(c, f);
        } catch (IllegalArgumentException e) {
            c.sendError("bad_frame", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("/ws {}: frame of type {} failed: {}", c, f.path("type").asText(), e.toString());
            c.sendError("internal", "the node could not handle this frame");
        }
    }

    private void dispatch(WsConnection c, JsonNode f) {
        String type = f.get("type").asText();
        Discovery d = discovery;
        switch (type) {
            case "subscribe" -> subscribe(c, f);
            case "unsubscribe" -> c.topics.remove(f.path("topic").asText());
            case "heartbeat" -> { }
            case "hello", "auth", "welcome", "announce" -> {
                if (d == null) {
                    c.sendError("refused", "this endpoint does not link nodes");
                } else {
                    d.onLinkFrame(c, type, f);
                }
            }
            case "event" -> {
                // Events come from nodes we linked with (relayed membership, their buckets' changes); clients only
                // receive them.
                String topic = f.path("topic").asText();
                if (!c.isLinked() || d == null) {
                    c.sendError("unauthorized", "only linked nodes may send events");
                } else if (Topics.CLUSTER_MEMBERS.equals(topic)) {
                    d.onMembershipEvent(c, f.path("data"));
                } else if (Topics.isBucket(topic)) {
                    memberBucketEvent(c, topic, f.get("data"));
                } else {
                    c.sendError("bad_frame", "nodes send only " + Topics.CLUSTER_MEMBERS + " and bucket.<name> events,"
                            + " not " + truncate(topic));
                }
            }
            case "subscribed", "error" -> {
                if (type.equals("error")) {
                    log.info("/ws {}: peer reported {}: {}", c, f.path("code").asText(), f.path("message").asText());
                }
            }
            default -> c.sendError("bad_frame", "unknown frame type: " + truncate(type));
        }
    }

    private void subscribe(WsConnection c, JsonNode f) {
        JsonNode t = f.get("topic");
        if (t == null || !t.isTextual() || !Topics.isValid(t.asText())) {
            c.sendError("unknown_topic", "topic must be " + Topics.CLUSTER_MEMBERS + " or bucket.<name>, got "
                    + truncate(String.valueOf(t)));
            return;
        }
        String topic = t.asText();
        if (c.topics.size() >= MAX_TOPICS_PER_CONNECTION && !c.topics.contains(topic)) {
            c.sendError("too_many_topics", "at most " + MAX_TOPICS_PER_CONNECTION + " topics per connection");
            return;
        }
        if (topic.equals(Topics.CLUSTER_MEMBERS)) {
            if (!c.isLinked() || discovery == null) {
                c.sendError("unauthorized", Topics.CLUSTER_MEMBERS + " is for nodes that proved the cluster key");
                return;
            }
            // The snapshot goes out before the subscription takes effect, so a newcomer sees it first.
            discovery.sendSnapshot(c);
        } else if (!c.isLinked()) {
            String token = f.path("token").isTextual() ? f.path("token").asText() : c.bearerToken;
            if (token.isEmpty() || !authorizer.maySubscribe(token, topic)) {
                c.sendError(token.isEmpty() ? "unauthorized" : "forbidden",
                        token.isEmpty() ? "subscribing to " + topic + " needs a bearer token"
                                : "this token may not read " + topic);
                return;
            }
        }
        c.topics.add(topic);
        ObjectNode ok = WsConnection.frame("subscribed");
        ok.put("topic", topic);
        c.send(ok);
    }

    static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    void closeAll() {
        eventSender.shutdownNow();
        for (WsConnection c : connections) {
            c.close(CloseReason.CloseCodes.GOING_AWAY, "node stopping");
        }
    }

    /** Connections closed because bucket events piled up unread ({@link WsConnection#MAX_QUEUED_EVENTS}). */
    public long slowSubscribersClosed() {
        return slowClosed.get();
    }

    private void sendEvent(WsConnection c, ObjectNode frame) {
        if (!c.sendLater(frame, eventSender)) {
            slowClosed.incrementAndGet();
            log.warn("/ws {}: closed: more than {} bucket events waiting unread", c, WsConnection.MAX_QUEUED_EVENTS);
        }
    }
}
