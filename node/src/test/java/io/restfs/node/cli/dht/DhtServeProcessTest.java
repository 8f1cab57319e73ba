package io.restfs.node.cli.dht;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.FindNodeQuery;
import io.restfs.dht.krpc.KrpcCodec;
import io.restfs.dht.krpc.KrpcDecodeResult;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.NodeInfo;
import io.restfs.dht.krpc.TransactionId;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.UdpDht;
import io.restfs.dht.routing.Contact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code restfs dht serve} as a real child JVM: it prints its id and address, answers pings, stops cleanly on
 * SIGTERM with its state saved, and comes back with the same id and its routing table.
 */
class DhtServeProcessTest {
    private static final long WAIT_SECONDS = 30;
    private static final DhtConfig CONFIG = DhtConfig.defaults().withRateLimit(100_000, 100_000);

    private record Served(Process process, JsonNode start, Path stderr) {
        NodeId id() {
            return NodeId.fromHex(start.get("id").asText());
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), start.get("port").asInt());
        }
    }

    private static Served serve(Path logDir, String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                "io.restfs.node.cli.Main", "dht", "serve", "--json"));
        command.addAll(List.of(args));
        Path stderr = logDir.resolve(name + ".stderr");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        // The first stdout line is the start JSON; read it on another thread so a hung child cannot hang the test.
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        });
        try {
            String first = line.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(first != null, "serve printed nothing; stderr: " + Files.readString(stderr));
            return new Served(p, new ObjectMapper().readTree(first), stderr);
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Sends SIGTERM and waits for the clean exit; returns what the node wrote to stderr. */
    private static String terminate(Served s) throws Exception {
        s.process().destroy();
        if (!s.process().waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            s.process().destroyForcibly();
            throw new AssertionError("serve did not stop on SIGTERM; stderr: " + Files.readString(s.stderr()));
        }
        return Files.readString(s.stderr());
    }

    @Test
    void servesUntilSigtermThenRestartsWithTheSameIdAndRoutingTable(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        byte[] seed = new byte[32];
        new SplittableRandom(8).nextBytes(seed);
        try (UdpDht peer = UdpDht.open(CONFIG, Ed25519KeyPair.fromSeed(seed),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty())) {
            String peerAddress = "127.0.0.1:" + peer.node().localAddress().getPort();

            Served first = serve(dir, "first", "--port", "0", "--bind", "127.0.0.1", "--state", state.toString(),
                    "--bootstrap", peerAddress);
            NodeId id;
            String stopped;
            try {
                id = first.id();
                assertEquals(id, peer.node().ping(first.address()).get(WAIT_SECONDS, TimeUnit.SECONDS));
                awaitContact(peer, id, first.address());
            } finally {
                stopped = terminate(first);
            }
            assertTrue(stopped.contains("stopped"), stopped);
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(state.resolve(DhtServeCommand.KEY_FILE))));

            // No --bootstrap this time: the node knows the peer only from its saved routing table.
            Served second = serve(dir, "second", "--port", "0", "--bind", "127.0.0.1", "--state", state.toString());
            try {
                assertEquals(id, second.id(), "the key in --state keeps the node id");
                List<NodeInfo> answer = findNode(second.address(), peer.node().id());
                assertTrue(answer.contains(new NodeInfo(peer.node().id(), peer.node().localAddress())),
                        "the restarted node refers to the peer it saved: " + answer);
            } finally {
                terminate(second);
            }
        }
    }

    /** One find_node through the KRPC codec over a plain socket: the contacts the node at {@code to} answers. */
    private static List<NodeInfo> findNode(InetSocketAddress to, NodeId target) throws Exception {
        KrpcCodec codec = new KrpcCodec();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            byte[] query = codec.encode(new FindNodeQuery(TransactionId.ofShort(7), NodeId.random(
                    new SplittableRandom(7)), target));
            socket.send(new DatagramPacket(query, query.length, to));
            // The node may first query us back (restfs_info for a new contact); skip to our answer.
            for (int i = 0; i < 10; i++) {
                DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
                socket.receive(in);
                KrpcDecodeResult r = codec.decode(Arrays.copyOf(in.getData(), in.getLength()));
                if (r instanceof KrpcDecodeResult.Decoded d && d.message() instanceof KrpcResponse response
                        && response.transactionId().equals(TransactionId.ofShort(7))) {
                    return response.nodes();
                }
            }
            throw new AssertionError("no find_node answer from " + to);
        }
    }

    private static void awaitContact(UdpDht peer, NodeId id, InetSocketAddress at) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        List<Contact> contacts = List.of();
        while (System.nanoTime() < deadline) {
            contacts = peer.node().contacts().get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (contacts.stream().anyMatch(c -> c.id().equals(id) && c.address().getPort() == at.getPort())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(id + " at " + at + " never reached the peer's table: " + contacts);
    }

    @Test
    void aSecondNodeOnTheSameStateIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Served first = serve(dir, "first", "--port", "0", "--bind", "127.0.0.1", "--state", state.toString());
        try {
            Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "io.restfs.node.cli.Main", "dht", "serve", "--port", "0", "--state", state.toString())
                    .redirectErrorStream(true).start();
            String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(second.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(1, second.exitValue(), output);
            List<String> lines = output.lines().filter(l -> l.startsWith("restfs dht serve:")).toList();
            assertEquals(1, lines.size(), output);
            assertTrue(lines.get(0).contains("is another node running on it?"), output);
            assertTrue(!output.contains("\tat "), "no stack trace: " + output);
        } finally {
            terminate(first);
        }
    }
}
