package io.restfs.node.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A node's settings, as read from its {@code node.toml} ({@link NodeConfigFile}); every one has a default. Paths are
 * absolute (relative ones in the file are resolved against the file's folder).
 *
 * @param dataDir        the node's folder: shards under {@code shards/}, DHT state under {@code dht/}, runtime info
 * @param nodeKeyFile    the node's Ed25519 key (0600)
 * @param clusterKeyFile the cluster's shared secret (0600)
 * @param group          failure group (a rack, a machine, a site): placement spreads shards over groups first
 * @param advertiseHost  the address other nodes and clients reach this node at
 * @param capacityBytes  how much shard data this node may hold
 * @param api            HTTP: JSON-RPC, /ws pub/sub and discovery, /metrics, status page
 * @param dht            UDP: the DHT
 * @param shard          TCP: shard transfer
 * @param seeds          other nodes' API addresses (host:port) to join through; empty for the first node
 * @param heartbeat      how often linked nodes tell each other they are alive
 * @param deadAfterMissed heartbeats missed in a row before a silent node is declared dead
 */
public record NodeConfig(Path dataDir, Path nodeKeyFile, Path clusterKeyFile, String group, String advertiseHost,
                         long capacityBytes, Endpoint api, Endpoint dht, Endpoint shard, List<String> seeds,
                         Duration heartbeat, int deadAfterMissed) {
    /** File name of the configuration inside a node folder. */
    public static final String FILE_NAME = "node.toml";
    /** Conventional ports: unassigned in IANA's registry, close together so a firewall rule covers them. */
    public static final int DEFAULT_API_PORT = 7420;
    public static final int DEFAULT_DHT_PORT = 7421;
    public static final int DEFAULT_SHARD_PORT = 7422;
    /** 10 GiB: room for a test cluster on a laptop; real nodes set their disk's size. */
    public static final long DEFAULT_CAPACITY_BYTES = 10L << 30;
    public static final String DEFAULT_GROUP = "default";
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** One second: a killed node is noticed within a few seconds on a LAN without flooding it. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    /**
     * Ten missed beats (10 s of silence): a killed process closes its links and is dead at once whatever this says,
     * so silence only decides for a hung host or a cut network, and must not mistake a starved one for dead. With 3,
     * six node processes on a loaded 2-core host declared a live node dead in 2 of 14 benchmark runs, and a 4+2 put
     * then found one data node too few and was refused.
     */
    public static final int DEFAULT_DEAD_AFTER_MISSED = 10;

    public NodeConfig {
        seeds = List.copyOf(seeds);
    }

    /** A listening address: bind address and port (0: any free port). */
    public record Endpoint(String bind, int port) {
        public InetSocketAddress socketAddress() {
            return new InetSocketAddress(bind, port);
        }
    }

    public Path shardsDir() {
        return dataDir.resolve("shards");
    }

    public Path dhtStateDir() {
        return dataDir.resolve("dht");
    }

    /** Where a running node writes its pid and the ports it bound ({@link RuntimeInfo}). */
    public Path runtimeFile() {
        return dataDir.resolve(RuntimeInfo.FILE_NAME);
    }
}
