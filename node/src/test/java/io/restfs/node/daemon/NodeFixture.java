package io.restfs.node.daemon;

import io.restfs.dht.crypto.Ed25519KeyFile;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.config.NodeConfig;
import io.restfs.node.config.NodeConfigFile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Node folders and running nodes for tests: real keys, real config files, ephemeral loopback ports. */
public final class NodeFixture {
    /** Fast heartbeats so a dead node is noticed within a second in tests. */
    public static final long TEST_HEARTBEAT_MILLIS = 200;
    /** Two seconds of silence: a busy two-core test machine can stall a JVM for a second. */
    public static final int TEST_DEAD_AFTER_MISSED = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeFixture() {
    }

    /** Writes a node folder (node.toml with ports 0, node key, cluster key); returns the config file. */
    public static Path init(Path dir, byte[] clusterKey, List<String> seeds, String group) throws IOException {
        Files.createDirectories(dir);
        Ed25519KeyFile.save(dir.resolve("node.key"), Ed25519KeyPair.generate(new SecureRandom()));
        ClusterKeyFile.save(dir.resolve("cluster.key"), clusterKey);
        String toml = NodeConfigFile.render(new NodeConfigFile.Settings(group, "127.0.0.1", 1L << 30, "127.0.0.1",
                0, 0, 0, seeds)).replace("heartbeat_millis = " + NodeConfig.DEFAULT_HEARTBEAT.toMillis(),
                "heartbeat_millis = " + TEST_HEARTBEAT_MILLIS)
                .replace("dead_after_missed = " + NodeConfig.DEFAULT_DEAD_AFTER_MISSED,
                        "dead_after_missed = " + TEST_DEAD_AFTER_MISSED);
        Path config = dir.resolve(NodeConfig.FILE_NAME);
        Files.writeString(config, toml);
        return config;
    }

    public static NodeDaemon start(Path config) throws Exception {
        return NodeDaemon.start(NodeConfigFile.load(config));
    }

    /** The seed address (host:port of the API) of a running node. */
    public static String seedOf(NodeDaemon d) {
        return "127.0.0.1:" + d.runtime().apiPort();
    }

    public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Whether {@code n}'s DHT routing table holds at least {@code count} nodes that serve shards. */
    public static boolean knowsDataHolders(NodeDaemon n, int count) {
        return n.context().dht().contacts().join().stream()
                .filter(c -> n.context().dht().peerInfo(c.id()).join().filter(i -> i.servesShards()).isPresent())
                .count() >= count;
    }

    /** Waits up to {@code seconds} for {@code condition}; false if it never held. */
    public static boolean eventually(long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
