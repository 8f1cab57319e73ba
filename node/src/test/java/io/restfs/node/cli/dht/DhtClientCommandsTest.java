package io.restfs.node.cli.dht;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.UdpDht;
import io.restfs.dht.rpc.RpcTimeouts;
import io.restfs.node.cli.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client subcommands (ping, lookup, put, get) run through {@code Main} against eight real DHT nodes on loopback
 * UDP; each command starts its own short-lived node, as it does from the shell.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DhtClientCommandsTest {
    private static final int SERVERS = 8;
    /** All nodes share 127.0.0.1: the per-IP rate limit must not throttle the test. */
    private static final DhtConfig CONFIG = DhtConfig.defaults().withTimeouts(new RpcTimeouts(500, 50, 2_000, 2))
            .withRateLimit(100_000, 100_000);

    private final ObjectMapper json = new ObjectMapper();
    private final List<UdpDht> servers = new ArrayList<>();
    private String bootstrap;

    @BeforeAll
    void startServers() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < SERVERS; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            servers.add(UdpDht.open(CONFIG, Ed25519KeyPair.fromSeed(seed),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty()));
        }
        InetSocketAddress first = servers.get(0).node().localAddress();
        for (int i = 1; i < SERVERS; i++) {
            servers.get(i).node().bootstrap(List.of(first)).get(20, TimeUnit.SECONDS);
        }
        for (UdpDht s : servers) {
            s.node().lookup(s.node().id()).get(20, TimeUnit.SECONDS);
        }
        bootstrap = "127.0.0.1:" + first.getPort();
    }

    @AfterAll
    void stopServers() {
        servers.forEach(UdpDht::close);
    }

    /** The one JSON object a --json run prints, on its last line. */
    private JsonNode jsonOf(CliRun r) throws Exception {
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        return json.readTree(lines[lines.length - 1]);
    }

    private static void assertOneLineError(CliRun r, int exitCode, String expected) {
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
        // Log lines of DHT nodes started earlier in this JVM may interleave; the command's own output is the
        // lines it prefixes with its name.
        List<String> lines = r.err().lines().filter(l -> l.startsWith("restfs ")).toList();
        assertEquals(1, lines.size(), "one line, no stack trace: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertTrue(lines.get(0).contains(expected), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void pingPrintsThePeersIdAndRoundTripTime() throws Exception {
        UdpDht peer = servers.get(3);
        String address = "127.0.0.1:" + peer.node().localAddress().getPort();

        CliRun text = CliRun.of("dht", "ping", address, "--count", "2");
        JsonNode j = jsonOf(CliRun.of("dht", "ping", address, "--count", "1", "--json"));

        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("pong from " + peer.node().id().toHex() + " at " + address), text.out());
        assertEquals(peer.node().id().toHex(), j.get("id").asText());
        assertEquals(address, j.get("address").asText());
        assertTrue(j.get("rtt_ms").asDouble() > 0, j.toString());
    }

    @Test
    void lookupPrintsTheTrueKClosestNodesWithHops() throws Exception {
        NodeId target = NodeId.random(new SplittableRandom(9));

        JsonNode j = jsonOf(CliRun.of("dht", "lookup", target.toHex(), "--bootstrap", bootstrap, "--json"));
        CliRun text = CliRun.of("dht", "lookup", target.toHex(), "--bootstrap", bootstrap);

        // Fewer than k servers: the client finds every one of them, closest first.
        List<String> expected = servers.stream().map(s -> s.node().id())
                .sorted(Comparator.comparing(id -> id, target::compareDistance)).map(NodeId::toHex).toList();
        List<String> found = new ArrayList<>();
        j.get("nodes").forEach(n -> found.add(n.get("id").asText()));
        assertEquals(expected, found);
        assertTrue(j.get("hops").asInt() >= 1, j.toString());
        assertTrue(j.get("time_ms").asDouble() > 0, j.toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().startsWith(SERVERS + " closest nodes to " + target.toHex()), text.out());
        assertTrue(text.out().contains(expected.get(0)), text.out());
    }

    @Test
    void immutablePutPrintsTheTargetThatGetReadsBack() throws Exception {
        JsonNode put = jsonOf(CliRun.of("dht", "put", "--bootstrap", bootstrap, "--immutable", "héllo, dht", "--json"));
        String target = put.get("target").asText();

        CliRun got = CliRun.of("dht", "get", target, "--bootstrap", bootstrap);

        // BEP 44: an immutable item's target is SHA-1 of its bencoded value.
        byte[] value = "héllo, dht".getBytes(StandardCharsets.UTF_8);
        byte[] encoded = (value.length + ":héllo, dht").getBytes(StandardCharsets.UTF_8);
        assertEquals(NodeId.sha1(encoded).toHex(), target);
        assertEquals(SERVERS, put.get("stored_on").asInt(), put.toString());
        assertEquals(0, got.exitCode(), got.err());
        assertEquals("héllo, dht", got.out().strip());
    }

    @Test
    void mutablePutCreatesAPrivateKeyFileAndEachPutRaisesTheSeq(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("keys/owner.key");

        JsonNode first = jsonOf(CliRun.of("dht", "put", "--bootstrap", bootstrap, "--mutable", "version 1",
                "--key-file", keyFile.toString(), "--salt", "profile", "--json"));
        JsonNode second = jsonOf(CliRun.of("dht", "put", "--bootstrap", bootstrap, "--mutable", "version 2",
                "--key-file", keyFile.toString(), "--salt", "profile", "--json"));
        JsonNode got = jsonOf(CliRun.of("dht", "get", second.get("target").asText(), "--bootstrap", bootstrap,
                "--salt", "profile", "--public-key", second.get("public_key").asText(), "--json"));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals(first.get("public_key"), second.get("public_key"), "the key file is reused");
        assertEquals(first.get("target"), second.get("target"));
        assertEquals(1, first.get("seq").asLong());
        assertEquals(2, second.get("seq").asLong(), "without --seq, a put reads the stored seq and adds one");
        assertEquals("version 2", got.get("value").asText());
        assertEquals(2, got.get("seq").asLong());
        assertEquals("mutable", got.get("kind").asText());
    }

    @Test
    void mutablePutWithAStaleSeqFailsWithTheNodesRefusal(@TempDir Path dir) throws Exception {
        String key = dir.resolve("k").toString();
        jsonOf(CliRun.of("dht", "put", "--bootstrap", bootstrap, "--mutable", "new", "--key-file", key, "--seq", "5",
                "--json"));

        CliRun stale = CliRun.of("dht", "put", "--bootstrap", bootstrap, "--mutable", "old", "--key-file", key, "--seq", "4");

        // BEP 44 error 302: the sequence number is less than the stored one.
        assertOneLineError(stale, 1, "error 302");
    }

    @Test
    void badHexIsAOneLineUsageError() {
        assertOneLineError(CliRun.of("dht", "lookup", "12zz", "--bootstrap", bootstrap), 2, "need 40 hex digits");
        assertOneLineError(CliRun.of("dht", "get", "abcd", "--bootstrap", bootstrap), 2, "need 40 hex digits");
        assertOneLineError(CliRun.of("dht", "ping", "127.0.0.1"), 2, "is not HOST:PORT");
    }

    @Test
    void unreachablePeerIsAOneLineErrorNotAStackTrace() throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = s.getLocalPort();
        }

        CliRun ping = CliRun.of("dht", "ping", "127.0.0.1:" + closed, "--timeout", "2");
        CliRun lookup = CliRun.of("dht", "lookup", NodeId.random(new SplittableRandom(1)).toHex(), "--bootstrap",
                "127.0.0.1:" + closed, "--timeout", "2");

        assertOneLineError(ping, 1, "did not finish within --timeout 2 s");
        assertOneLineError(lookup, 1, "did not finish within --timeout 2 s");
    }

    @Test
    void missingItemIsAFailureNotAnEmptyValue() {
        CliRun got = CliRun.of("dht", "get", NodeId.random(new SplittableRandom(5)).toHex(), "--bootstrap", bootstrap);

        assertOneLineError(got, 1, "no item found under");
    }

    @Test
    void everyDhtCommandHasHelpWithAOneLineDescription() {
        for (String sub : List.of("serve", "ping", "lookup", "put", "get")) {
            CliRun help = CliRun.of("dht", sub, "--help");
            assertEquals(0, help.exitCode(), sub);
            assertTrue(help.out().startsWith("Usage: restfs dht " + sub), help.out());
            String description = help.out().lines().dropWhile(l -> l.startsWith("Usage") || l.startsWith(" "))
                    .findFirst().orElse("");
            assertFalse(description.isBlank(), sub + " has a description: " + help.out());
        }
        CliRun group = CliRun.of("dht", "--help");
        for (String sub : List.of("serve", "ping", "lookup", "put", "get")) {
            assertTrue(group.out().contains("  " + sub + " "), group.out());
        }
    }
}
