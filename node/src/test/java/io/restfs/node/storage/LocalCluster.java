package io.restfs.node.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.restfs.api.BucketEvent;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.RestfsNodeInfo;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.UdpDht;
import io.restfs.dht.routing.Contact;
import io.restfs.dht.rpc.RpcTimeouts;
import io.restfs.node.transfer.ClusterIdentity;
import io.restfs.node.transfer.ShardTransferClient;
import io.restfs.node.transfer.ShardTransferServer;
import io.restfs.node.transfer.TransferClientConfig;
import io.restfs.node.transfer.TransferServerConfig;

/**
 * An in-process cluster of real nodes on loopback for tests: each node has its own UDP DHT node, shard store in a
 * temporary folder, TCP shard-transfer server and client, and {@link StorageService}, and records the events it
 * publishes. Nodes join by bootstrapping off each other; {@link #stop} takes one down for good (the test's node
 * death). Close it to stop everything.
 */
public final class LocalCluster implements AutoCloseable {
    /** Per node: far beyond what tests store, small enough for any temp folder. */
    public static final long CAPACITY_BYTES = 1L << 30;
    /** How long joining may take before the fixture gives up. */
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);

    /** One running node and what it published. */
    public static final class Node {
        public final int index;
        public final String group;
        public final ShardStore store;
        public final ShardTransferServer server;
        public final ShardTransferClient client;
        public final UdpDht dht;
        public final StorageService storage;
        public final List<BucketEvent> events = new CopyOnWriteArrayList<>();
        public final List<String> topics = new CopyOnWriteArrayList<>();
        private volatile boolean stopped;

        private Node(int index, String group, ShardStore store, ShardTransferServer server, ShardTransferClient client,
                UdpDht dht, StorageService storage) {
            this.index = index;
            this.group = group;
            this.store = store;
            this.server = server;
            this.client = client;
            this.dht = dht;
            this.storage = storage;
        }

        public NodeId id() {
            return dht.node().id();
        }

        public boolean stopped() {
            return stopped;
        }

        private void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            storage.close();
            client.close();
            server.close();
            dht.close();
            store.close();
        }
    }

    private final List<Node> nodes;

    private LocalCluster(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** Starts {@code count} nodes under {@code dir}, node i in failure group "g" + (i % groups), and joins them. */
    public static LocalCluster start(Path dir, int count, int groups) {
        byte[] clusterKey = new byte[ClusterIdentity.CLUSTER_KEY_BYTES];
        new SplittableRandom(count * 31L + groups).nextBytes(clusterKey);
        List<Node> nodes = new ArrayList<>();
        LocalCluster cluster = new LocalCluster(nodes);
        try {
            for (int i = 0; i < count; i++) {
                nodes.add(startNode(dir.resolve("node" + i), i, "g" + (i % groups), clusterKey));
            }
            cluster.join();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static Node startNode(Path dir, int index, String group, byte[] clusterKey) throws IOException {
        SecureRandom random = new SecureRandom();
        Ed25519KeyPair key = Ed25519KeyPair.generate(random);
        ClusterIdentity identity = new ClusterIdentity(key, clusterKey);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ShardStore store = ShardStore.open(dir.resolve("shards"), CAPACITY_BYTES, Clock.systemUTC());
        ShardTransferServer server = ShardTransferServer.start(store, identity,
                TransferServerConfig.defaults(new InetSocketAddress(loopback, 0)));
        // Quick timeouts and one quick retry: a stopped node refuses connections at once on loopback.
        ShardTransferClient client = ShardTransferClient.create(identity, TransferClientConfig.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
                .withRetries(2, Duration.ofMillis(20)), new SplittableRandom(index));
        // All nodes share 127.0.0.1, so the per-IP rate limits and item quotas are raised; short RPC timeouts
        // keep lookups quick once a node is stopped.
        DhtConfig config = DhtConfig.defaults()
                .withShardEndpoint(loopback.getHostAddress(), server.localAddress().getPort(), group)
                .withRateLimit(100_000, 100_000)
                .withQuotas(100_000, 100_000)
                .withTimeouts(new RpcTimeouts(500, 200, 2_000, 3));
        UdpDht dht = UdpDht.open(config, key, new InetSocketAddress(loopback, 0), Optional.empty());
        Node[] self = new Node[1];
        StorageService storage = new StorageService(dht.node(), store, client, clusterKey, (topic, event) -> {
            self[0].topics.add(topic);
            self[0].events.add((BucketEvent) event);
        }, Clock.systemUTC(), random, 2);
        self[0] = new Node(index, group, store, server, client, dht, storage);
        return self[0];
    }

    /** Every node pings every other, then waits until each knows all the others' signed restfs_info. */
    private void join() {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        for (Node n : nodes) {
            List<InetSocketAddress> others = nodes.stream().filter(o -> o != n)
                    .map(o -> o.dht.node().localAddress()).toList();
            // On a loaded machine a first round of pings can all time out; try again until the deadline.
            while (true) {
                try {
                    n.dht.node().bootstrap(others).orTimeout(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
                    break;
                } catch (java.util.concurrent.CompletionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
        }
        for (Node n : nodes) {
            while (knownDataHolders(n) < nodes.size() - 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node " + n.index + " knows only " + knownDataHolders(n)
                            + " of " + (nodes.size() - 1) + " other nodes after " + JOIN_TIMEOUT);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static int knownDataHolders(Node n) {
        int known = 0;
        for (Contact c : n.dht.node().contacts().join()) {
            Optional<RestfsNodeInfo> info = n.dht.node().peerInfo(c.id()).join();
            if (info.isPresent() && info.get().servesShards()) {
                known++;
            }
        }
        return known;
    }

    public int size() {
        return nodes.size();
    }

    public Node node(int i) {
        return nodes.get(i);
    }

    public StorageService storage(int i) {
        return nodes.get(i).storage;
    }

    /** The node with DHT id {@code id}. */
    public Node byId(NodeId id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    /** Stops node {@code i} for good: its DHT, transfer server and store go away as if the process died. */
    public void stop(int i) {
        nodes.get(i).stop();
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            try {
                n.stop();
            } catch (RuntimeException e) {
                // Keep stopping the rest.
            }
        }
    }
}
