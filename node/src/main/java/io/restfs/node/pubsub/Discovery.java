package io.restfs.node.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.id.NodeId;
import io.restfs.node.transfer.ClusterIdentity;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.websocket.ClientEndpointConfig;
import javax.websocket.CloseReason;

import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster membership over /ws. A node dials its seeds, both ends prove the cluster key and their node keys
 * ({@link LinkProof}), subscribe to {@value Topics#CLUSTER_MEMBERS} (getting a snapshot of who is alive) and
 * announce themselves with a signed {@link Announcement}. What a node learns it re-publishes to its other links,
 * and it dials every member it learns of (the lower id dials), so the members end up fully linked. A link that
 * closes without a leave, or goes silent for {@code deadAfterMissed} heartbeats, makes its peer dead.
 */
public final class Discovery implements AutoCloseable {
    /** Re-sign and re-send our announcement this many heartbeats apart, so free space stays current. */
    static final int REANNOUNCE_BEATS = 30;
    /** A member we learned of but are not linked with is dialled at most this often (in heartbeats). */
    static final int REDIAL_BEATS = 2;
    /** After this many beats unlinked, the higher id dials too (the lower one may not know us). */
    static final int HIGHER_ID_DIALS_AFTER_BEATS = 3;
    /** Tomcat client: how long a dial may take before it counts as failed. */
    static final long DIAL_TIMEOUT_MILLIS = 3_000;
    private static final String IO_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.IO_TIMEOUT_MS";

    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    /** This node's side of its announcement; free space is read fresh on each signing. */
    public record Self(String host, int apiPort, int dhtPort, int shardPort, String group, long capacityBytes) {
    }

    private final ClusterIdentity identity;
    private final Self self;
    private final LongSupplier freeBytes;
    private final PubSubHub hub;
    private final Membership membership;
    private final List<URI> seeds;
    private final long heartbeatMillis;
    private final int deadAfterMissed;
    private final Consumer<Announcement> onAlive;
    private final Consumer<Announcement> onGone;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timer;
    private final ExecutorService dialer;
    private final WsWebSocketContainer client = new WsWebSocketContainer();
    /** Dial target URI to the clock time of the last attempt. */
    private final Map<URI, Long> dials = new ConcurrentHashMap<>();
    private final Object announceLock = new Object();
    private volatile Announcement current;
    private volatile boolean closed;
    private long beats;

    /** A discovery that tells nobody of members leaving or dying; see the full constructor. */
    public Discovery(ClusterIdentity identity, Self self, LongSupplier freeBytes, PubSubHub hub, List<URI> seeds,
                     Duration heartbeat, int deadAfterMissed, Consumer<Announcement> onAlive, LongSupplier clock) {
        this(identity, self, freeBytes, hub, seeds, heartbeat, deadAfterMissed, onAlive, a -> { }, clock);
    }

    /**
     * @param onAlive told of every member that joins or re-announces alive (the daemon adds it to the DHT table)
     * @param onGone  told of every member that leaves or is found dead, with its last announcement (the daemon
     *                drops it from the DHT, so lookups stop waiting on it)
     */
    public Discovery(ClusterIdentity identity, Self self, LongSupplier freeBytes, PubSubHub hub, List<URI> seeds,
                     Duration heartbeat, int deadAfterMissed, Consumer<Announcement> onAlive,
                     Consumer<Announcement> onGone, LongSupplier clock) {
        this.identity = identity;
        this.self = self;
        this.freeBytes = freeBytes;
        this.hub = hub;
        this.seeds = List.copyOf(seeds);
        this.heartbeatMillis = heartbeat.toMillis();
        this.deadAfterMissed = deadAfterMissed;
        this.onAlive = onAlive;
        this.onGone = onGone;
        this.clock = clock;
        this.membership = new Membership(identity.nodeId(), clock);
        String tag = identity.nodeId().toHex().substring(0, 8);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "restfs-discovery-" + tag));
        this.dialer = Executors.newFixedThreadPool(2, r -> daemonThread(r, "restfs-discovery-dial-" + tag));
        this.current = sign(false);
        hub.attach(this);
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts heartbeats and dials the seeds. */
    public void start() {
        timer.scheduleWithFixedDelay(this::tick, 0, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    public Membership membership() {
        return membership;
    }

    /** Our latest announcement. */
    public Announcement self() {
        return current;
    }

    /** Ids of the nodes we hold a proven link with. */
    public List<NodeId> linkedPeers() {
        return hub.connections().stream().filter(WsConnection::isLinked).map(c -> c.peer).distinct().sorted().toList();
    }

    private Announcement sign(boolean leaving) {
        synchronized (announceLock) {
            long prev = current == null ? 0 : current.seq();
            // Clock-based so a restarted node's announcements supersede its old ones; +1 if the clock stood still.
            long seq = Math.max(prev + 1, clock.getAsLong());
            current = Announcement.sign(identity.nodeKey(), self.host(), self.apiPort(), self.dhtPort(),
                    self.shardPort(), self.group(), self.capacityBytes(), Math.max(0, freeBytes.getAsLong()), seq,
                    leaving);
            return current;
        }
    }

    // ------------------------------------------------------------------ the link handshake

    void sendHello(WsConnection c) {
        byte[] nonce = new byte[LinkProof.NONCE_BYTES];
        random.nextBytes(nonce);
        c.serverNonce = nonce;
        ObjectNode f = WsConnection.frame("hello");
        f.put("nodeId", identity.nodeId().toHex());
        f.put("publicKey", b64(identity.nodeKey().publicKey()));
        f.put("nonce", b64(nonce));
        c.send(f);
    }

    void onLinkFrame(WsConnection c, String type, JsonNode f) {
        switch (type) {
            case "hello" -> onHello(c, f);
            case "auth" -> onAuth(c, f);
            case "welcome" -> onWelcome(c, f);
            case "announce" -> onAnnounce(c, f.get("data"));
            default -> throw new IllegalArgumentException("unknown link frame " + type);
        }
    }

    private void onHello(WsConnection c, JsonNode f) {
        if (c.role != WsConnection.Role.CLIENT || c.helloId != null) {
            c.sendError("bad_frame", "unexpected hello");
            return;
        }
        NodeId serverId = NodeId.fromHex(field(f, "nodeId"));
        byte[] serverKey = unb64(field(f, "publicKey"));
        if (serverKey.length != Ed25519.PUBLIC_KEY_BYTES || !Ed25519.nodeIdOf(serverKey).equals(serverId)) {
            refuse(c, "its node id is not SHA-1 of its public key");
            return;
        }
        if (serverId.equals(identity.nodeId())) {
            c.close(CloseReason.CloseCodes.NORMAL_CLOSURE, "dialled ourselves");
            return;
        }
        if (c.expectedPeer != null && !c.expectedPeer.equals(serverId)) {
            refuse(c, "expected node " + c.expectedPeer.toHex() + " there, found " + serverId.toHex());
            return;
        }
        byte[] clientNonce = new byte[LinkProof.NONCE_BYTES];
        random.nextBytes(clientNonce);
        c.serverNonce = unb64(field(f, "nonce"));
        c.clientNonce = clientNonce;
        c.helloId = serverId;
        c.helloPublicKey = serverKey;
        byte[] t = LinkProof.transcript(LinkProof.Role.CLIENT, c.serverNonce, clientNonce, serverId,
                identity.nodeId());
        ObjectNode auth = WsConnection.frame("auth");
        auth.put("nodeId", identity.nodeId().toHex());
        auth.put("publicKey", b64(identity.nodeKey().publicKey()));
        auth.put("nonce", b64(clientNonce));
        auth.put("mac", b64(LinkProof.mac(identity.clusterKey(), t)));
        auth.put("sig", b64(LinkProof.sign(identity.nodeKey(), t)));
        c.send(auth);
    }

    private void onAuth(WsConnection c, JsonNode f) {
        if (c.role != WsConnection.Role.SERVER || c.serverNonce == null || c.isLinked()) {
            c.sendError("bad_frame", "unexpected auth");
            return;
        }
        NodeId clientId = NodeId.fromHex(field(f, "nodeId"));
        byte[] clientKey = unb64(field(f, "publicKey"));
        byte[] clientNonce = unb64(field(f, "nonce"));
        if (clientKey.length != Ed25519.PUBLIC_KEY_BYTES || !Ed25519.nodeIdOf(clientKey).equals(clientId)) {
            refuse(c, "node id " + clientId.toHex() + " is not SHA-1 of its public key");
            return;
        }
        if (clientNonce.length != LinkProof.NONCE_BYTES) {
            refuse(c, "nonce must be " + LinkProof.NONCE_BYTES + " bytes");
            return;
        }
        byte[] t = LinkProof.transcript(LinkProof.Role.CLIENT, c.serverNonce, clientNonce, identity.nodeId(),
                clientId);
        if (!LinkProof.verify(identity.clusterKey(), t, unb64(field(f, "mac")), clientKey, unb64(field(f, "sig")))) {
            log.warn("refused node {}: it did not prove the cluster key", clientId.toHex());
            refuse(c, "cluster key proof failed");
            return;
        }
        if (clientId.equals(identity.nodeId())) {
            c.close(CloseReason.CloseCodes.NORMAL_CLOSURE, "dialled ourselves");
            return;
        }
        byte[] st = LinkProof.transcript(LinkProof.Role.SERVER, c.serverNonce, clientNonce, identity.nodeId(),
                clientId);
        ObjectNode welcome = WsConnection.frame("welcome");
        welcome.put("mac", b64(LinkProof.mac(identity.clusterKey(), st)));
        welcome.put("sig", b64(LinkProof.sign(identity.nodeKey(), st)));
        c.send(welcome);
        linked(c, clientId);
    }

    private void onWelcome(WsConnection c, JsonNode f) {
        if (c.role != WsConnection.Role.CLIENT || c.helloId == null || c.isLinked()) {
            c.sendError("bad_frame", "unexpected welcome");
            return;
        }
        byte[] st = LinkProof.transcript(LinkProof.Role.SERVER, c.serverNonce, c.clientNonce, c.helloId,
                identity.nodeId());
        if (!LinkProof.verify(identity.clusterKey(), st, unb64(field(f, "mac")), c.helloPublicKey,
                unb64(field(f, "sig")))) {
            log.warn("refused node {}: its welcome did not prove the cluster key", c.helloId.toHex());
            refuse(c, "cluster key proof failed");
            return;
        }
        linked(c, c.helloId);
    }

    private void refuse(WsConnection c, String why) {
        c.sendError("unauthorized", why);
        c.close(CloseReason.CloseCodes.VIOLATED_POLICY, "refused: " + why);
    }

    private void linked(WsConnection c, NodeId peer) {
        c.peer = peer;
        log.info("linked with node {} ({})", peer.toHex(), c.role == WsConnection.Role.CLIENT ? "dialled" : "accepted");
        sendAnnouncement(c, current);
        ObjectNode sub = WsConnection.frame("subscribe");
        sub.put("topic", Topics.CLUSTER_MEMBERS);
        c.send(sub);
    }

    private void sendAnnouncement(WsConnection c, Announcement a) {
        ObjectNode f = WsConnection.frame("announce");
        f.set("data", a.toJson());
        c.send(f);
    }

    // ------------------------------------------------------------------ membership

    /** Everyone alive we know, as events, to a node that just subscribed. */
    void sendSnapshot(WsConnection c) {
        for (Membership.Entry e : membership.alive()) {
            if (!e.nodeId().equals(c.peer)) {
                c.send(WsConnection.event(Topics.CLUSTER_MEMBERS, change("snapshot", e.announcement())));
            }
        }
    }

    private void onAnnounce(WsConnection c, JsonNode data) {
        if (!c.isLinked()) {
            c.sendError("unauthorized", "announce only after proving the cluster key");
            return;
        }
        Announcement a = Announcement.fromJson(data);
        Optional<String> problem = a.problem();
        if (problem.isEmpty() && !a.nodeId().equals(c.peer)) {
            problem = Optional.of("node " + c.peer.toHex() + " announced another node, " + a.nodeId().toHex());
        }
        if (problem.isPresent()) {
            log.warn("refused announcement on link with {}: {}", c.peer.toHex(), problem.get());
            c.sendError("forged", problem.get());
            return;
        }
        if (a.leaving()) {
            c.peerLeaving = true;
        }
        accept(a, c);
    }

    void onMembershipEvent(WsConnection c, JsonNode data) {
        String kind = data.path("kind").asText();
        Announcement a = Announcement.fromJson(data.get("member"));
        Optional<String> problem = a.problem();
        if (problem.isPresent()) {
            log.warn("refused membership event from {}: {}", c.peer.toHex(), problem.get());
            c.sendError("forged", problem.get());
            return;
        }
        switch (kind) {
            case "snapshot", "joined", "updated", "left" -> accept(a, c);
            case "dead" -> {
                // We trust our own link over a report: a member we still hear from is not dead.
                if (!isLinked(a.nodeId())) {
                    membership.markDead(a.nodeId(), a.seq()).ifPresent(ch -> published(ch, c));
                }
            }
            default -> c.sendError("bad_frame", "unknown membership event kind: " + PubSubHub.truncate(kind));
        }
    }

    private void accept(Announcement a, WsConnection source) {
        membership.apply(a).ifPresent(ch -> {
            published(ch, source);
            if (!a.leaving()) {
                onAlive.accept(a);
                maybeDial(a, true);
            }
        });
    }

    private void published(Membership.Change ch, WsConnection except) {
        Announcement a = ch.announcement();
        log.info("member {} {} ({}:{}, group {})", a.nodeId().toHex(), ch.kind(), a.host(), a.apiPort(), a.group());
        hub.publish(Topics.CLUSTER_MEMBERS, change(ch.kind(), a), except);
        if (ch.kind().equals("left") || ch.kind().equals("dead")) {
            try {
                onGone.accept(a);
            } catch (RuntimeException e) {
                log.warn("handling the departure of member {} failed: {}", a.nodeId().toHex(), e.toString());
            }
        }
    }

    private static ObjectNode change(String kind, Announcement a) {
        ObjectNode d = WsConnection.frame("x").removeAll();
        d.put("kind", kind);
        d.set("member", a.toJson());
        return d;
    }

    void onClosed(WsConnection c) {
        NodeId peer = c.peer;
        if (peer == null || closed) {
            return;
        }
        if (isLinked(peer)) {
            return;
        }
        log.info("link with node {} closed{}", peer.toHex(), c.peerLeaving ? " (it left)" : "");
        if (!c.peerLeaving) {
            membership.get(peer).ifPresent(e -> membership.markDead(peer, e.announcement().seq())
                    .ifPresent(ch -> published(ch, null)));
        }
    }

    private boolean isLinked(NodeId id) {
        for (WsConnection c : hub.connections()) {
            if (id.equals(c.peer) && c.session.isOpen()) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ heartbeats and dialling

    private void tick() {
        try {
            beats++;
            long now = clock.getAsLong();
            long silentLimit = heartbeatMillis * deadAfterMissed;
            boolean reannounce = beats % REANNOUNCE_BEATS == 0;
            Announcement a = reannounce ? sign(false) : current;
            List<WsConnection> links = hub.connections().stream().filter(WsConnection::isLinked).toList();
            for (WsConnection c : links) {
                if (now - c.lastReceivedMillis > silentLimit) {
                    log.info("node {} silent for {} ms: closing its link", c.peer.toHex(), now - c.lastReceivedMillis);
                    c.close(CloseReason.CloseCodes.GOING_AWAY, "heartbeats missed");
                    continue;
                }
                if (reannounce) {
                    sendAnnouncement(c, a);
                } else {
                    c.send(WsConnection.frame("heartbeat"));
                }
            }
            if (links.isEmpty()) {
                for (URI seed : seeds) {
                    dial(seed, null, now);
                }
            }
            for (Membership.Entry e : membership.alive()) {
                boolean longUnlinked = now - e.sinceMillis() > heartbeatMillis * HIGHER_ID_DIALS_AFTER_BEATS;
                maybeDial(e.announcement(), longUnlinked);
            }
        } catch (RuntimeException e) {
            log.warn("discovery heartbeat failed: {}", e.toString());
        }
    }

    private void maybeDial(Announcement a, boolean evenIfHigher) {
        if (closed || isLinked(a.nodeId())) {
            return;
        }
        if (identity.nodeId().compareTo(a.nodeId()) < 0 || evenIfHigher) {
            dial(URI.create("ws://" + a.hostForUrl() + ":" + a.apiPort() + WsEndpoints.PATH), a.nodeId(),
                    clock.getAsLong());
        }
    }

    private void dial(URI uri, NodeId expected, long now) {
        Long last = dials.get(uri);
        if (closed || last != null && now - last < heartbeatMillis * REDIAL_BEATS) {
            return;
        }
        dials.put(uri, now);
        dialer.execute(() -> {
            try {
                ClientEndpointConfig cec = ClientEndpointConfig.Builder.create().build();
                cec.getUserProperties().put(IO_TIMEOUT_PROPERTY, Long.toString(DIAL_TIMEOUT_MILLIS));
                client.connectToServer(WsEndpoints.client(hub, expected), cec, uri);
            } catch (Exception e) {
                log.debug("dial {} failed: {}", uri, e.toString());
            }
        });
    }

    /** Tells linked nodes we are leaving, then closes every link and stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Announcement leaving = sign(true);
        for (WsConnection c : hub.connections()) {
            if (c.isLinked()) {
                sendAnnouncement(c, leaving);
            }
        }
        closed = true;
        timer.shutdownNow();
        dialer.shutdownNow();
        hub.closeAll();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
            dialer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.destroy();
    }

    private static String field(JsonNode f, String name) {
        JsonNode v = f.get(name);
        if (v == null || !v.isTextual() || v.asText().length() > 200) {
            throw new IllegalArgumentException("frame field " + name + " must be a short string");
        }
        return v.asText();
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] unb64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }
}
