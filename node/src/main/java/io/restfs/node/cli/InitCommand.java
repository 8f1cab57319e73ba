package io.restfs.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.crypto.Ed25519KeyFile;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.config.ConfigException;
import io.restfs.node.config.JoinToken;
import io.restfs.node.config.NodeConfig;
import io.restfs.node.config.NodeConfigFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code restfs init}: makes a node folder with its configuration, a fresh node key, and the cluster key (created
 * on the first node, taken from a file or a join token on the others).
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create a node folder: node.toml, a new node key (node.key, 0600) and the cluster key.",
            "The first node (no --seed) creates the cluster key and prints a join token; later nodes join with",
            "--join-token TOKEN, or with --seed HOST:PORT and --cluster-key-file FILE."})
public final class InitCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The node's folder (created).")
    Path dir;

    @Option(names = "--seed", paramLabel = "HOST:PORT", description = "A member's API address to join through "
            + "(repeatable).")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--group", defaultValue = NodeConfig.DEFAULT_GROUP, paramLabel = "NAME",
            description = "Failure group: rack, machine or site (default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--cluster-key-file", paramLabel = "FILE", description = "The cluster key of the cluster to join.")
    Path clusterKeyFile;

    @Option(names = "--join-token", paramLabel = "TOKEN", description = "The join token the first node printed.")
    String joinToken;

    @Option(names = "--host", defaultValue = NodeConfig.DEFAULT_HOST, paramLabel = "ADDR",
            description = "Address others reach this node at (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: --host).")
    String bind;

    @Option(names = "--api-port", defaultValue = "" + NodeConfig.DEFAULT_API_PORT, paramLabel = "P",
            description = "HTTP port: /rpc, /ws, /metrics (default ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--dht-port", defaultValue = "" + NodeConfig.DEFAULT_DHT_PORT, paramLabel = "P",
            description = "UDP port of the DHT (default ${DEFAULT-VALUE}).")
    int dhtPort;

    @Option(names = "--shard-port", defaultValue = "" + NodeConfig.DEFAULT_SHARD_PORT, paramLabel = "P",
            description = "TCP port of shard transfer (default ${DEFAULT-VALUE}).")
    int shardPort;

    @Option(names = "--capacity", defaultValue = "10g", paramLabel = "SIZE",
            description = "Shard data this node may hold: bytes or with k, m, g, t (default ${DEFAULT-VALUE}).")
    String capacity;

    @Option(names = "--json", description = "Print one JSON object (nodeId, dir, config, joinToken).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } catch (IllegalArgumentException e) {
            err.println("restfs init: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("restfs init: " + e.getMessage());
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(PrintWriter out, PrintWriter err) throws IOException {
        Path config = dir.resolve(NodeConfig.FILE_NAME);
        if (Files.exists(config)) {
            err.println("restfs init: " + dir + " already holds a node (" + config + "); start it with: restfs node "
                    + "--config " + config);
            return FAILED;
        }
        for (int port : new int[] {apiPort, dhtPort, shardPort}) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("ports must be 0..65535, got " + port);
            }
        }
        List<String> allSeeds = new ArrayList<>();
        for (String s : seeds) {
            allSeeds.add(NodeConfigFile.checkHostPort(s));
        }
        byte[] clusterKey;
        boolean first = false;
        if (joinToken != null && clusterKeyFile != null) {
            throw new IllegalArgumentException("give --join-token or --cluster-key-file, not both");
        } else if (joinToken != null) {
            JoinToken t = JoinToken.decode(joinToken);
            clusterKey = t.clusterKey();
            if (!allSeeds.contains(t.seed())) {
                allSeeds.add(t.seed());
            }
        } else if (clusterKeyFile != null) {
            clusterKey = ClusterKeyFile.load(clusterKeyFile);
        } else if (!allSeeds.isEmpty()) {
            throw new IllegalArgumentException("joining through --seed needs the cluster key: --cluster-key-file "
                    + "FILE or --join-token TOKEN");
        } else {
            clusterKey = ClusterKeyFile.generate(new SecureRandom());
            first = true;
        }
        long capacityBytes = parseSize(capacity);
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("node.key");
        Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
        Ed25519KeyFile.save(keyFile, key);
        ClusterKeyFile.save(dir.resolve("cluster.key"), clusterKey);
        String toml = NodeConfigFile.render(new NodeConfigFile.Settings(group, host, capacityBytes,
                bind == null ? host : bind, apiPort, dhtPort, shardPort, allSeeds));
        Files.writeString(config, toml);
        try {
            NodeConfigFile.load(config);
        } catch (ConfigException e) {
            // Our own output must read back; if not, say so rather than leave a node that will not start.
            throw new IOException("wrote a configuration that does not load: " + e.getMessage(), e);
        }
        String token = first ? new JoinToken(hostPort(host, apiPort), clusterKey).encode() : null;
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("nodeId", key.nodeId().toHex());
            o.put("dir", dir.toAbsolutePath().toString());
            o.put("config", config.toAbsolutePath().toString());
            if (token != null) {
                o.put("joinToken", token);
            }
            out.println(o);
        } else {
            out.println("node " + key.nodeId().toHex() + " initialised in " + dir);
            out.println("start it with: restfs node --config " + config);
            if (token != null) {
                out.println("this node created the cluster key (" + dir.resolve("cluster.key") + ").");
                out.println("join other nodes with: restfs init --dir DIR --join-token " + token);
                out.println("(the join token holds the cluster key: keep it as secret as the key)");
            }
        }
        return OK;
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Bytes, or a number with k, m, g or t (powers of 1024; an optional trailing "b" or "ib" is allowed). */
    public static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long unit = 1;
        if (!t.isEmpty() && "kmgt".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmgt".indexOf(t.charAt(t.length() - 1)) + 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t.trim());
            if (n <= 0 || n > Long.MAX_VALUE / unit) {
                throw new IllegalArgumentException("size must be positive and fit in 63 bits: " + s);
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size (bytes, or a number with k, m, g, t): " + s);
        }
    }
}
