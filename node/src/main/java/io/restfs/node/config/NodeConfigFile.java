package io.restfs.node.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes {@code node.toml}. Every setting has a default; an unknown setting, a value of the wrong type or
 * out of range is refused with the file, line and setting named ({@link ConfigException}), so a typo never passes
 * silently as a default.
 */
public final class NodeConfigFile {
    /** Largest TCP/UDP port number (RFC 793 / RFC 768: 16-bit ports). */
    static final int MAX_PORT = 65_535;
    /** A heartbeat longer than this would leave a dead node listed as alive for minutes. */
    static final long MAX_HEARTBEAT_MILLIS = 60_000;
    /** Node configs are a few hundred bytes; anything this large is not one. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*([A-Za-z0-9_.\"-]+)\\s*]\\s*(#.*)?$");
    private static final Pattern KEY = Pattern.compile("^\\s*\"?([A-Za-z0-9_-]+)\"?\\s*=");

    private NodeConfigFile() {
    }

    /** Loads the configuration at {@code file}; relative paths in it are resolved against its folder. */
    public static NodeConfig load(Path file) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(file, 0, "", "file is larger than " + MAX_FILE_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "", "no such file (create one with: restfs init --dir DIR)");
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot read: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** Parses {@code text} as the content of {@code file} (which only names errors and anchors relative paths). */
    public static NodeConfig parse(Path file, String text) throws ConfigException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(file, at == null ? 0 : Math.max(0, at.getLineNr()), "",
                    "not valid TOML: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            root = new TomlMapper().createObjectNode();
        }
        Path dir = file.toAbsolutePath().getParent();
        Reader r = new Reader(file, text, (ObjectNode) root);
        r.onlySections("node", "api", "dht", "shard", "cluster");
        r.onlyKeys("node", "data_dir", "node_key", "group", "advertise_host", "capacity_bytes");
        r.onlyKeys("api", "bind", "port");
        r.onlyKeys("dht", "bind", "port");
        r.onlyKeys("shard", "bind", "port");
        r.onlyKeys("cluster", "key_file", "seeds", "heartbeat_millis", "dead_after_missed");

        Path dataDir = dir.resolve(r.string("node", "data_dir", ".")).normalize();
        Path nodeKey = dataDir.resolve(r.string("node", "node_key", "node.key")).normalize();
        String group = r.string("node", "group", NodeConfig.DEFAULT_GROUP);
        if (group.isBlank() || group.length() > 64) {
            throw r.bad("node", "group", "must be 1 to 64 characters");
        }
        String host = r.string("node", "advertise_host", NodeConfig.DEFAULT_HOST);
        long capacity = r.number("node", "capacity_bytes", NodeConfig.DEFAULT_CAPACITY_BYTES, 1, Long.MAX_VALUE);
        NodeConfig.Endpoint api = r.endpoint("api", NodeConfig.DEFAULT_API_PORT);
        NodeConfig.Endpoint dht = r.endpoint("dht", NodeConfig.DEFAULT_DHT_PORT);
        NodeConfig.Endpoint shard = r.endpoint("shard", NodeConfig.DEFAULT_SHARD_PORT);
        Path clusterKey = dataDir.resolve(r.string("cluster", "key_file", "cluster.key")).normalize();
        List<String> seeds = r.hostPorts("cluster", "seeds");
        long beat = r.number("cluster", "heartbeat_millis", NodeConfig.DEFAULT_HEARTBEAT.toMillis(), 50,
                MAX_HEARTBEAT_MILLIS);
        int missed = (int) r.number("cluster", "dead_after_missed", NodeConfig.DEFAULT_DEAD_AFTER_MISSED, 1, 100);
        return new NodeConfig(dataDir, nodeKey, clusterKey, group, host, capacity, api, dht, shard, seeds,
                Duration.ofMillis(beat), missed);
    }

    /** The settings {@code restfs init} writes; the rest keep their defaults. */
    public record Settings(String group, String advertiseHost, long capacityBytes, String bind, int apiPort,
                           int dhtPort, int shardPort, List<String> seeds) {
        public Settings {
            seeds = List.copyOf(seeds);
        }
    }

    /** The TOML text of a new node's configuration, with a comment on each setting. */
    public static String render(Settings s) {
        StringBuilder b = new StringBuilder();
        b.append("# restfs node configuration (written by restfs init). Every setting has a default.\n\n");
        b.append("[node]\n");
        b.append("# Failure group (rack, machine, site): placement spreads an object's shards over groups first.\n");
        b.append("group = ").append(quote(s.group())).append('\n');
        b.append("# The address other nodes and clients reach this node at.\n");
        b.append("advertise_host = ").append(quote(s.advertiseHost())).append('\n');
        b.append("# Shard data this node may hold, in bytes.\n");
        b.append("capacity_bytes = ").append(s.capacityBytes()).append('\n');
        b.append("# Folders and keys, relative to this file.\n");
        b.append("data_dir = \".\"\nnode_key = \"node.key\"\n\n");
        b.append("# HTTP: JSON-RPC at /rpc, pub/sub and discovery at /ws, /metrics, status page at /.\n");
        b.append("[api]\nbind = ").append(quote(s.bind())).append("\nport = ").append(s.apiPort()).append("\n\n");
        b.append("# UDP: the DHT.\n");
        b.append("[dht]\nbind = ").append(quote(s.bind())).append("\nport = ").append(s.dhtPort()).append("\n\n");
        b.append("# TCP: shard transfer between nodes.\n");
        b.append("[shard]\nbind = ").append(quote(s.bind())).append("\nport = ").append(s.shardPort()).append("\n\n");
        b.append("[cluster]\nkey_file = \"cluster.key\"\n");
        b.append("# Other nodes' API addresses (host:port) to join through; empty for the first node.\n");
        b.append("seeds = [");
        for (int i = 0; i < s.seeds().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(s.seeds().get(i)));
        }
        b.append("]\n");
        b.append("# Linked nodes send a heartbeat this often; one silent for dead_after_missed beats is dead.\n");
        b.append("heartbeat_millis = ").append(NodeConfig.DEFAULT_HEARTBEAT.toMillis()).append('\n');
        b.append("dead_after_missed = ").append(NodeConfig.DEFAULT_DEAD_AFTER_MISSED).append('\n');
        return b.toString();
    }

    /** A TOML basic string (TOML 1.0 section "String"): backslash and quote escaped, control characters refused. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Parses "host:port" (IPv6 as [addr]:port); the message says what is wrong. */
    public static String checkHostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got \"" + s + "\"");
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (port < 1 || port > MAX_PORT) {
                throw new IllegalArgumentException("port must be 1.." + MAX_PORT + " in \"" + s + "\"");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in \"" + s + "\"");
        }
        return s;
    }

    /** Typed access to the parsed tree that names the line of whatever it refuses. */
    private static final class Reader {
        private final Path file;
        private final String[] lines;
        private final ObjectNode root;

        Reader(Path file, String text, ObjectNode root) {
            this.file = file;
            this.lines = text.split("\\R", -1);
            this.root = root;
        }

        void onlySections(String... names) throws ConfigException {
            List<String> known = List.of(names);
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!known.contains(e.getKey())) {
                    throw bad(e.getKey(), null, "unknown section or setting (known sections: " + known + ")");
                }
                if (!e.getValue().isObject()) {
                    throw bad(e.getKey(), null, "must be a section ([" + e.getKey() + "])");
                }
            }
        }

        void onlyKeys(String section, String... names) throws ConfigException {
            JsonNode s = root.get(section);
            if (s == null) {
                return;
            }
            List<String> known = List.of(names);
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!known.contains(k)) {
                    throw bad(section, k, "unknown setting (known in [" + section + "]: " + known + ")");
                }
            }
        }

        private JsonNode value(String section, String key) {
            JsonNode s = root.get(section);
            return s == null ? null : s.get(key);
        }

        String string(String section, String key, String def) throws ConfigException {
            JsonNode v = value(section, key);
            if (v == null) {
                return def;
            }
            if (!v.isTextual()) {
                throw bad(section, key, "must be a string in quotes, got " + v);
            }
            return v.asText();
        }

        long number(String section, String key, long def, long min, long max) throws ConfigException {
            JsonNode v = value(section, key);
            if (v == null) {
                return def;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw bad(section, key, "must be a whole number, got " + v);
            }
            long n = v.asLong();
            if (n < min || n > max) {
                throw bad(section, key, "must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        }

        NodeConfig.Endpoint endpoint(String section, int defaultPort) throws ConfigException {
            String bind = string(section, "bind", NodeConfig.DEFAULT_HOST);
            if (bind.isBlank()) {
                throw bad(section, "bind", "must be an address (0.0.0.0 for all)");
            }
            return new NodeConfig.Endpoint(bind, (int) number(section, "port", defaultPort, 0, MAX_PORT));
        }

        List<String> hostPorts(String section, String key) throws ConfigException {
            JsonNode v = value(section, key);
            List<String> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            if (!v.isArray()) {
                throw bad(section, key, "must be a list of \"HOST:PORT\" strings");
            }
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw bad(section, key, "must be a list of \"HOST:PORT\" strings, got " + e);
                }
                try {
                    out.add(checkHostPort(e.asText()));
                } catch (IllegalArgumentException ex) {
                    throw bad(section, key, ex.getMessage());
                }
            }
            return out;
        }

        ConfigException bad(String section, String key, String problem) {
            return new ConfigException(file, lineOf(section, key), key == null ? section : section + "." + key,
                    problem);
        }

        /** The 1-based line where {@code section.key} (or the section header) is written; 0 if not found. */
        int lineOf(String section, String key) {
            String current = "";
            for (int i = 0; i < lines.length; i++) {
                Matcher t = TABLE.matcher(lines[i]);
                if (t.matches()) {
                    current = t.group(1).replace("\"", "");
                    if (key == null && current.equals(section)) {
                        return i + 1;
                    }
                    continue;
                }
                Matcher k = KEY.matcher(lines[i]);
                if (k.find()) {
                    String name = k.group(1);
                    if (key == null && current.isEmpty() && name.equals(section)) {
                        return i + 1;
                    }
                    if (key != null && current.equals(section) && name.equals(key)) {
                        return i + 1;
                    }
                }
            }
            return 0;
        }
    }
}
