package io.restfs.node.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import io.restfs.node.cli.Main;
import io.restfs.node.config.NodeConfig;
import io.restfs.node.config.NodeConfigFile;
import io.restfs.node.config.RuntimeInfo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A local cluster in one folder: {@code node1..nodeN} node folders, {@value #STATE_FILE} with the pids of the node
 * processes, and {@value #CLIENT_FILE} (url and admin token) for client commands. Creates, starts, waits for and
 * stops the node processes; {@code restfs cluster up|down} and the demo are thin shells over it.
 */
public final class LocalCluster {
    public static final String STATE_FILE = "cluster.json";
    public static final String CLIENT_FILE = "client.toml";
    /** Node processes get this long to leave the cluster and save their state before SIGKILL. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    /**
     * The collector of the node processes, unless RESTFS_NODE_JAVA_OPTS names one: a local cluster runs many JVMs
     * on few cores, where G1's concurrent and parallel GC threads only compete with the others. Measured with
     * bench cluster on 2 cores (load average about 20): a 256 MiB get took 4.8 s of CPU instead of 8.1, a put
     * 7.9 instead of 8.5.
     */
    static final String NODE_GC = "-XX:+UseSerialGC";
    private static final java.util.regex.Pattern GC_OPTION = java.util.regex.Pattern.compile("-XX:[+-]Use\\w*GC\\b");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLIENT_TOKEN = Pattern.compile("(?m)^token\\s*=\\s*\"([A-Za-z0-9_-]+)\"\\s*$");

    private final Path dir;

    public LocalCluster(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** One node of the cluster: its folder and, once started, its process. */
    public record Node(String name, Path dir, Process process) {
        public Path config() {
            return dir.resolve(NodeConfig.FILE_NAME);
        }

        public Optional<RuntimeInfo> runtime() {
            try {
                return RuntimeInfo.read(dir.resolve(RuntimeInfo.FILE_NAME));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /** The node folders already made here, in order (node1, node2, ...). */
    public List<Path> nodeDirs() {
        List<Path> out = new ArrayList<>();
        for (int i = 1; Files.exists(dir.resolve("node" + i).resolve(NodeConfig.FILE_NAME)); i++) {
            out.add(dir.resolve("node" + i));
        }
        return out;
    }

    /**
     * Makes node folders until there are {@code count}: node1 creates the cluster key, the others take it from
     * node1's folder and seed node1. Each node has its own failure group and fixed loopback ports (chosen free now),
     * so a restart comes back at the same addresses.
     */
    public List<Path> init(int count, long capacityBytes) throws IOException {
        Files.createDirectories(dir);
        List<Path> dirs = nodeDirs();
        Set<Integer> taken = new HashSet<>();
        String seed = null;
        if (!dirs.isEmpty()) {
            try {
                seed = "127.0.0.1:" + NodeConfigFile.load(dirs.get(0).resolve(NodeConfig.FILE_NAME)).api().port();
            } catch (io.restfs.node.config.ConfigException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        for (int i = dirs.size() + 1; i <= count; i++) {
            Path d = dir.resolve("node" + i);
            int api = freeTcpPort(taken);
            List<String> args = new ArrayList<>(List.of("init", "--dir", d.toString(), "--group", "node" + i,
                    "--host", "127.0.0.1", "--api-port", Integer.toString(api),
                    "--dht-port", Integer.toString(freeUdpPort(taken)),
                    "--shard-port", Integer.toString(freeTcpPort(taken)),
                    "--capacity", Long.toString(capacityBytes)));
            if (seed != null) {
                args.addAll(List.of("--seed", seed, "--cluster-key-file",
                        dir.resolve("node1").resolve("cluster.key").toString()));
            }
            StringWriter err = new StringWriter();
            int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter()))
                    .setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
            if (code != 0) {
                throw new IOException("cannot make node folder " + d + ": " + err.toString().trim());
            }
            if (seed == null) {
                seed = "127.0.0.1:" + api;
            }
            dirs.add(d);
        }
        return dirs;
    }

    private static int freeTcpPort(Set<Integer> taken) throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (taken.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    private static int freeUdpPort(Set<Integer> taken) throws IOException {
        while (true) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                if (taken.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    /** Node processes recorded here that are still running. */
    public List<ProcessHandle> running() throws IOException {
        List<ProcessHandle> out = new ArrayList<>();
        Path state = dir.resolve(STATE_FILE);
        if (!Files.exists(state)) {
            return out;
        }
        for (JsonNode n : JSON.readTree(state.toFile()).path("nodes")) {
            Optional<ProcessHandle> p = ProcessHandle.of(n.path("pid").asLong());
            if (p.isPresent() && p.get().isAlive() && sameStart(p.get(), n.path("startMillis").asLong(0))) {
                out.add(p.get());
            }
        }
        return out;
    }

    /** Guards against a recycled pid: the process must have started when the recorded one did. */
    private static boolean sameStart(ProcessHandle p, long recordedMillis) {
        Optional<java.time.Instant> start = p.info().startInstant();
        // Start times come from the OS in clock ticks: allow a second of rounding.
        return recordedMillis == 0 || start.isEmpty() || Math.abs(start.get().toEpochMilli() - recordedMillis) < 1000;
    }

    /**
     * Starts a node process per folder: the same Java and class path as this process, output appended to
     * {@code nodeN/node.log}; records their pids in {@value #STATE_FILE}.
     */
    public List<Node> start(List<Path> dirs) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("java.class.path");
        List<Node> nodes = new ArrayList<>();
        try {
            for (Path d : dirs) {
                Files.deleteIfExists(d.resolve(RuntimeInfo.FILE_NAME));
                List<String> cmd = new ArrayList<>(List.of(java, "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
                String extra = System.getenv("RESTFS_NODE_JAVA_OPTS");
                if (extra == null || !GC_OPTION.matcher(extra).find()) {
                    cmd.add(NODE_GC);
                }
                if (extra != null && !extra.isBlank()) {
                    cmd.addAll(List.of(extra.trim().split("\\s+")));
                }
                cmd.addAll(List.of("-cp", classPath, Main.class.getName(), "node", "--config",
                        d.resolve(NodeConfig.FILE_NAME).toString()));
                Path log = d.resolve("node.log");
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                nodes.add(new Node(d.getFileName().toString(), d, p));
                writeState(nodes);
            }
        } catch (IOException e) {
            stop(nodes.stream().map(n -> n.process().toHandle()).toList(), Duration.ofSeconds(2));
            throw e;
        }
        return nodes;
    }

    private void writeState(List<Node> nodes) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("supervisorPid", ProcessHandle.current().pid());
        ArrayNode arr = o.putArray("nodes");
        for (Node n : nodes) {
            arr.addObject().put("name", n.name()).put("dir", n.dir().toString()).put("pid", n.process().pid())
                    .put("startMillis", n.process().info().startInstant().map(java.time.Instant::toEpochMilli)
                            .orElse(0L));
        }
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), o);
        Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Waits until every node serves and lists all the others as alive, or {@code timeout} passes.
     *
     * @return empty when all joined; otherwise what is missing, per node
     */
    public Optional<String> awaitJoined(List<Node> nodes, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String missing = "";
        while (System.nanoTime() < deadline) {
            List<String> problems = new ArrayList<>();
            for (Node n : nodes) {
                if (!n.process().isAlive()) {
                    return Optional.of(n.name() + " exited with code " + n.process().exitValue() + " (see "
                            + n.dir().resolve("node.log") + ")");
                }
                Optional<RuntimeInfo> info = n.runtime();
                if (info.isEmpty()) {
                    problems.add(n.name() + ": not serving yet");
                    continue;
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create(info.get().apiUrl() + "/status.json")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    JsonNode s = JSON.readTree(r.body());
                    long alive = 0;
                    for (JsonNode m : s.path("members")) {
                        alive += m.path("state").asText().equals("alive") ? 1 : 0;
                    }
                    if (alive < nodes.size() - 1) {
                        problems.add(n.name() + ": knows " + alive + " of " + (nodes.size() - 1) + " others");
                    }
                } catch (IOException e) {
                    problems.add(n.name() + ": status page did not answer");
                }
            }
            if (problems.isEmpty()) {
                return Optional.empty();
            }
            missing = String.join("; ", problems);
            Thread.sleep(200);
        }
        return Optional.of(missing);
    }

    /**
     * An admin token valid on every node: the one in {@value #CLIENT_FILE} when every node still accepts it (a
     * restart), else a new one created on node1 and added to the others.
     */
    public String adminToken(List<Path> dirs) throws IOException {
        Path client = dir.resolve(CLIENT_FILE);
        if (Files.exists(client)) {
            Matcher m = CLIENT_TOKEN.matcher(Files.readString(client));
            if (m.find()) {
                String token = m.group(1);
                boolean everywhere = true;
                for (Path d : dirs) {
                    everywhere &= TokenStore.open(d).lookup(token).map(Grant::admin).orElse(false);
                }
                if (everywhere) {
                    return token;
                }
            }
        }
        String token = TokenStore.open(dirs.get(0)).create(Grant.adminGrant(), "restfs cluster up");
        for (Path d : dirs.subList(1, dirs.size())) {
            TokenStore.open(d).add(token, Grant.adminGrant(), "restfs cluster up");
        }
        return token;
    }

    /** Writes {@value #CLIENT_FILE} (url and token, TOML) readable only by its owner: it holds an admin token. */
    public Path writeClientConfig(String url, String token) throws IOException {
        Path client = dir.resolve(CLIENT_FILE);
        Path tmp = dir.resolve(CLIENT_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, "# written by restfs cluster up: client commands use this node and token\n"
                + "url = " + quote(url) + "\ntoken = " + quote(token) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, client, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return client;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** SIGTERM to each, then SIGKILL to those still running after {@code grace}; returns how many were killed. */
    public static int stop(List<ProcessHandle> processes, Duration grace) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        int killed = 0;
        for (ProcessHandle p : processes) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                p.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
                killed++;
            } catch (java.util.concurrent.ExecutionException e) {
                // onExit does not fail; nothing to do.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // Reported by the caller through isAlive.
            }
        }
        return killed;
    }
}
