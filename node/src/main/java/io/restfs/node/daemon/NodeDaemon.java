package io.restfs.node.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.blockstore.store.ShardStoreStats;
import io.restfs.dht.crypto.Ed25519KeyFile;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.UdpDht;
import io.restfs.dht.routing.Contact;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.config.NodeConfig;
import io.restfs.node.config.RuntimeInfo;
import io.restfs.node.pubsub.Announcement;
import io.restfs.node.pubsub.Discovery;
import io.restfs.node.pubsub.Membership;
import io.restfs.node.pubsub.PubSubHub;
import io.restfs.node.pubsub.SubscriberAuthorizer;
import io.restfs.node.transfer.ClusterIdentity;
import io.restfs.node.transfer.ShardTransferClient;
import io.restfs.node.transfer.ShardTransferServer;
import io.restfs.node.transfer.TransferClientConfig;
import io.restfs.node.transfer.TransferServerConfig;
import io.restfs.node.web.MetricsServlet;
import io.restfs.node.web.NodeMetrics;
import io.restfs.node.web.StatusServlet;
import io.restfs.node.web.WebServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.servlet.http.HttpServlet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running restfs node: its DHT node (UDP), shard store, shard-transfer server (TCP) and client, and an embedded
 * Tomcat serving pub/sub and discovery at /ws, metrics at /metrics and the status page at /, with a
 * {@link #mount} point for the API. Owns every part; {@link #close()} leaves the cluster and stops them in order.
 */
public final class NodeDaemon implements AutoCloseable {
    /** How often the node re-reads its free space for the DHT's restfs_info and its announcements. */
    static final long HOUSEKEEPING_SECONDS = 10;
    /** A status page must answer even when the DHT's thread is busy: wait this long for its contacts. */
    static final long STATUS_DHT_WAIT_MILLIS = 500;

    private static final Logger log = LoggerFactory.getLogger(NodeDaemon.class);

    private final NodeContext context;
    private final UdpDht dht;
    private final ShardTransferServer transferServer;
    private final WebServer web;
    private final PubSubHub hub;
    private final Discovery discovery;
    private final ScheduledExecutorService housekeeping;
    private final RuntimeInfo runtime;
    private final long startedMillis;
    private final Deque<AutoCloseable> services = new ArrayDeque<>();
    /** DHT addresses already handed to bootstrap, so a re-announce does not start another lookup. */
    private final Set<InetSocketAddress> bootstrapped = ConcurrentHashMap.newKeySet();
    /**
     * The DHT address of every live member, as its signed announcement over an authenticated link gave it: the
     * DHT exempts these from its per-IP rate limit and item quota, which are meant for strangers (a loopback
     * cluster's members all share one IP, and a gateway writes many records).
     */
    private final Map<NodeId, InetSocketAddress> memberDhtAddresses = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private NodeDaemon(NodeContext context, UdpDht dht, ShardTransferServer transferServer, WebServer web,
                       PubSubHub hub, Discovery discovery, ScheduledExecutorService housekeeping,
                       RuntimeInfo runtime, long startedMillis) {
        this.context = context;
        this.dht = dht;
        this.transferServer = transferServer;
        this.web = web;
        this.hub = hub;
        this.discovery = discovery;
        this.housekeeping = housekeeping;
        this.runtime = runtime;
        this.startedMillis = startedMillis;
    }

    /** Builds services on a node (storage, API) before it announces itself; see {@link #start(NodeConfig, Installer)}. */
    @FunctionalInterface
    public interface Installer {
        void install(NodeDaemon daemon) throws Exception;
    }

    /** Starts a node with no services mounted beyond its own (status, metrics, /ws). */
    public static NodeDaemon start(NodeConfig config) throws NodeStartException {
        return start(config, d -> { });
    }

    /**
     * Starts a node from its configuration and runs {@code installer} on it (mount servlets, register services to
     * close) before it joins the cluster and writes its runtime info, so whoever sees the node sees it whole. On
     * failure everything started so far is stopped again.
     */
    public static NodeDaemon start(NodeConfig config, Installer installer) throws NodeStartException {
        long started = System.currentTimeMillis();
        Ed25519KeyPair nodeKey = load("node key", () -> Ed25519KeyFile.load(config.nodeKeyFile()));
        byte[] clusterKey = load("cluster key", () -> ClusterKeyFile.load(config.clusterKeyFile()));
        ClusterIdentity identity = new ClusterIdentity(nodeKey, clusterKey);
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            ShardStore store = step("open the shard store in " + config.shardsDir(), () ->
                    ShardStore.open(config.shardsDir(), config.capacityBytes(), Clock.systemUTC()));
            opened.push(store);
            ShardTransferServer transferServer = step("start shard transfer on TCP " + config.shard().port(), () ->
                    ShardTransferServer.start(store, identity, TransferServerConfig.defaults(
                            config.shard().socketAddress())));
            opened.push(transferServer);
            int shardPort = transferServer.localAddress().getPort();
            DhtConfig dhtConfig = DhtConfig.defaults().withShardEndpoint(config.advertiseHost(), shardPort,
                    config.group());
            UdpDht dht = step("start the DHT on UDP " + config.dht().port(), () -> UdpDht.open(dhtConfig, nodeKey,
                    config.dht().socketAddress(), Optional.of(config.dhtStateDir())));
            opened.push(dht);
            dht.node().setFreeBytes(store.stats().freeBytes());
            ShardTransferClient transfer = ShardTransferClient.create(identity, TransferClientConfig.defaults(),
                    new SecureRandom());
            opened.push(transfer);

            PubSubHub hub = new PubSubHub(System::currentTimeMillis);
            NodeMetrics metrics = new NodeMetrics();
            WebServer web = step("set up the HTTP server", () -> WebServer.create(config.api().socketAddress(),
                    config.dataDir().resolve("web")));
            opened.push(web);
            web.addEndpoint(hub.endpointConfig());
            web.mount("/metrics", new MetricsServlet(metrics.registry()));
            DaemonHolder holder = new DaemonHolder();
            web.mount("/", new StatusServlet(() -> holder.daemon == null ? starting() : holder.daemon.status()));
            step("start the HTTP server on TCP " + config.api().port(), () -> {
                web.start();
                return web;
            });
            int apiPort = web.port();
            int dhtPort = dht.node().localAddress().getPort();

            List<URI> seeds = config.seeds().stream().map(s -> URI.create("ws://" + s + "/ws")).toList();
            Discovery.Self self = new Discovery.Self(config.advertiseHost(), apiPort, dhtPort, shardPort,
                    config.group(), config.capacityBytes());
            Discovery discovery = new Discovery(identity, self, () -> store.stats().freeBytes(), hub, seeds,
                    config.heartbeat(), config.deadAfterMissed(), a -> holder.onAlive(a), a -> holder.onGone(a),
                    System::currentTimeMillis);
            opened.push(discovery);
            metrics.registry().register(new NodeGauges(store, discovery, hub));
            metrics.registry().register(new TransferCounters(transferServer::stats, transfer::stats));

            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "restfs-node-housekeeping");
                t.setDaemon(true);
                return t;
            });
            housekeeping.scheduleWithFixedDelay(() -> dht.node().setFreeBytes(store.stats().freeBytes()),
                    HOUSEKEEPING_SECONDS, HOUSEKEEPING_SECONDS, TimeUnit.SECONDS);

            RuntimeInfo runtime = new RuntimeInfo(ProcessHandle.current().pid(), identity.nodeId().toHex(),
                    config.advertiseHost(), apiPort, dhtPort, shardPort, started);
            NodeContext context = new NodeContext(config, identity, dht.node(), store, transfer, hub,
                    discovery.membership(), metrics);
            NodeDaemon daemon = new NodeDaemon(context, dht, transferServer, web, hub, discovery, housekeeping,
                    runtime, started);
            holder.daemon = daemon;
            dht.node().setTrusted(daemon::isMemberDhtAddress);
            opened.push(daemon::closeServices);
            step("start the node's services", () -> {
                installer.install(daemon);
                return daemon;
            });
            discovery.start();
            step("write " + config.runtimeFile(), () -> {
                runtime.write(config.runtimeFile());
                return runtime;
            });
            log.info("node {} serving: api {} dht udp {} shards tcp {} group {} ({} seeds)",
                    identity.nodeId().toHex(), runtime.apiUrl(), dhtPort, shardPort, config.group(), seeds.size());
            return daemon;
        } catch (NodeStartException | RuntimeException | LinkageError e) {
            // A missing class (a broken install) must not leave the started parts' threads keeping the JVM alive.
            while (!opened.isEmpty()) {
                closeQuietly(opened.pop());
            }
            throw e instanceof NodeStartException n ? n
                    : new NodeStartException("node did not start: " + e, e);
        }
    }

    /** Holds the daemon for callbacks wired before it exists. */
    private static final class DaemonHolder {
        volatile NodeDaemon daemon;

        void onAlive(Announcement a) {
            NodeDaemon d = daemon;
            if (d != null) {
                d.feedDht(a);
            }
        }

        void onGone(Announcement a) {
            NodeDaemon d = daemon;
            if (d != null) {
                d.forgetInDht(a);
            }
        }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T step(String what, Step<T> step) throws NodeStartException {
        try {
            return step.run();
        } catch (Exception e) {
            throw new NodeStartException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private static <T> T load(String what, Step<T> step) throws NodeStartException {
        try {
            return step.run();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new NodeStartException("no " + what + " at " + e.getFile() + " (create one with: restfs init)", e);
        } catch (Exception e) {
            throw new NodeStartException("cannot read the " + what + ": " + e.getMessage(), e);
        }
    }

    /** A member is alive: make sure our DHT knows it (the first one also seeds a lookup of our own id). */
    private void feedDht(Announcement a) {
        if (closed) {
            return;
        }
        InetSocketAddress addr = a.dhtAddress();
        memberDhtAddresses.put(a.nodeId(), addr);
        if (bootstrapped.add(addr)) {
            dht.node().bootstrap(List.of(addr)).whenComplete((n, e) -> {
                if (e != null) {
                    log.info("dht bootstrap through member {} at {} failed: {}", a.nodeId().toHex(), addr,
                            e.getMessage());
                    bootstrapped.remove(addr);
                }
            });
        } else {
            dht.node().ping(addr);
        }
    }

    /**
     * A member left or died: drop it from our DHT's table and lookups now, rather than let every lookup near it
     * wait out a timeout until the routing tables have aged it out. A member that comes back reaches us itself
     * (its announcement leads to a bootstrap through it), which ends the exclusion.
     */
    private void forgetInDht(Announcement a) {
        if (closed) {
            return;
        }
        bootstrapped.remove(a.dhtAddress());
        memberDhtAddresses.remove(a.nodeId());
        dht.node().forget(a.nodeId()).whenComplete((wasKnown, e) -> {
            if (e != null) {
                log.info("dht: forgetting member {} failed: {}", a.nodeId().toHex(), e.getMessage());
            }
        });
    }

    /** Called on the DHT's logic thread for every query: a small map's values, no locks. */
    private boolean isMemberDhtAddress(InetSocketAddress source) {
        return memberDhtAddresses.containsValue(source);
    }

    public NodeContext context() {
        return context;
    }

    public NodeId nodeId() {
        return context.identity().nodeId();
    }

    /** Pid and ports actually bound. */
    public RuntimeInfo runtime() {
        return runtime;
    }

    public Discovery discovery() {
        return discovery;
    }

    /** Serves {@code servlet} at {@code path} (e.g. {@code /rpc}, {@code /o/*}); may be called while running. */
    public void mount(String path, HttpServlet servlet) {
        web.mount(path, servlet);
    }

    /** Lets API clients subscribe to bucket topics with their bearer tokens. */
    public void setSubscriberAuthorizer(SubscriberAuthorizer authorizer) {
        hub.setAuthorizer(authorizer);
    }

    /** A service built on this node (storage, API) that must stop before the node's own parts do. */
    public synchronized void closeWith(AutoCloseable service) {
        services.push(service);
    }

    private static JsonNode starting() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("nodeId", "starting");
        o.put("health", "starting");
        return o;
    }

    /** The node's status as /status.json shows it. */
    public ObjectNode status() {
        ShardStoreStats s = context.store().stats();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("nodeId", nodeId().toHex());
        o.put("group", context.config().group());
        o.put("apiUrl", runtime.apiUrl());
        o.put("pid", runtime.pid());
        o.put("uptimeSeconds", (System.currentTimeMillis() - startedMillis) / 1000);
        o.put("capacityBytes", s.capacityBytes());
        o.put("freeBytes", s.freeBytes());
        o.put("bytesStored", s.bytesStored());
        o.put("shardCount", s.shardCount());
        List<NodeId> linked = discovery.linkedPeers();
        List<Membership.Entry> entries = discovery.membership().entries();
        boolean anyDead = entries.stream().anyMatch(e -> e.state() == Membership.State.DEAD);
        String health = s.corruptCount() > 0 || anyDead ? "degraded"
                : !context.config().seeds().isEmpty() && linked.isEmpty() ? "alone" : "ok";
        o.put("health", health);
        o.set("self", member(discovery.self(), "alive", true, startedMillis));
        ArrayNode members = o.putArray("members");
        for (Membership.Entry e : entries) {
            members.add(member(e.announcement(), e.state().name().toLowerCase(), linked.contains(e.nodeId()),
                    e.sinceMillis()));
        }
        ArrayNode contacts = o.putArray("dhtContacts");
        try {
            for (Contact c : dht.node().contacts().get(STATUS_DHT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                contacts.add(c.id().toHex());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            o.put("dhtContactsError", "the DHT did not answer in " + STATUS_DHT_WAIT_MILLIS + " ms");
        }
        return o;
    }

    private static ObjectNode member(Announcement a, String state, boolean linked, long sinceMillis) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("nodeId", a.nodeId().toHex());
        m.put("state", state);
        m.put("host", a.host());
        m.put("apiUrl", a.apiUrl());
        m.put("dhtPort", a.dhtPort());
        m.put("shardPort", a.shardPort());
        m.put("group", a.group());
        m.put("capacityBytes", a.capacityBytes());
        m.put("freeBytes", a.freeBytes());
        m.put("linked", linked);
        m.put("sinceMillis", sinceMillis);
        return m;
    }

    /** Leaves the cluster (a signed leave to every link), stops services, then the node's parts; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        log.info("node {} stopping", nodeId().toHex());
        closeQuietly(discovery);
        closeServices();
        housekeeping.shutdownNow();
        closeQuietly(web);
        closeQuietly(transferServer);
        closeQuietly(context.transfer());
        closeQuietly(dht);
        closeQuietly(context.store());
        try {
            Files.deleteIfExists(context.config().runtimeFile());
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", context.config().runtimeFile(), e.toString());
        }
        log.info("node {} stopped", nodeId().toHex());
    }

    private synchronized void closeServices() {
        while (!services.isEmpty()) {
            closeQuietly(services.pop());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("{} did not close cleanly: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
