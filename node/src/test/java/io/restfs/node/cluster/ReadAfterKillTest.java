package io.restfs.node.cluster;

import io.restfs.api.BucketPolicy;
import io.restfs.api.ShardLocation;
import io.restfs.api.client.RestfsClient;
import io.restfs.dht.id.NodeId;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import io.restfs.node.cli.Main;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.config.NodeConfigFile;
import io.restfs.node.config.RuntimeInfo;
import io.restfs.node.daemon.NodeDaemon;
import io.restfs.node.daemon.NodeFixture;
import io.restfs.node.daemon.ServingNode;
import io.restfs.node.pubsub.Membership;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a member process is killed, a read through a survivor takes its shards and metadata from the live members
 * only: the survivor's DHT forgets the dead member (cluster membership saw it die) and its shard reads skip it.
 * The dead member's UDP and TCP ports are taken over by the test, which counts what still arrives there.
 */
class ReadAfterKillTest {
    private static final int SEGMENT = 64 << 10;

    @TempDir
    Path tmp;

    @Test
    void readThroughASurvivorNeverAsksTheKilledMember() throws Exception {
        byte[] clusterKey = ClusterKeyFile.generate(new SecureRandom());
        Path aConfig = NodeFixture.init(tmp.resolve("a"), clusterKey, List.of(), "a");
        String token = TokenStore.open(tmp.resolve("a")).create(Grant.adminGrant(), "test");
        try (NodeDaemon a = ServingNode.start(NodeConfigFile.load(aConfig))) {
            List<String> seeds = List.of(NodeFixture.seedOf(a));
            Path bConfig = NodeFixture.init(tmp.resolve("b"), clusterKey, seeds, "b");
            TokenStore.open(tmp.resolve("b")).add(token, Grant.adminGrant(), "test");
            Path dConfig = NodeFixture.init(tmp.resolve("d"), clusterKey, seeds, "d");
            Process d = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "node", "--config", dConfig.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("d.log").toFile()).start();
            try (NodeDaemon b = ServingNode.start(NodeConfigFile.load(bConfig))) {
                assertTrue(NodeFixture.eventually(90,
                        () -> NodeFixture.knowsDataHolders(a, 2) && NodeFixture.knowsDataHolders(b, 2)),
                        "the three nodes did not all learn each other");
                RuntimeInfo dInfo = RuntimeInfo.read(tmp.resolve("d").resolve(RuntimeInfo.FILE_NAME)).orElseThrow();
                NodeId dId = NodeId.fromHex(dInfo.nodeId());

                // 2+1 on three nodes: every segment has one shard on each, so one on the member about to die.
                RestfsClient viaA = new RestfsClient(URI.create(a.runtime().apiUrl()), token, Duration.ofSeconds(60));
                viaA.buckets().create("kill", new BucketPolicy(2, 1, SEGMENT, true, true, false));
                byte[] body = new byte[5 * SEGMENT + 7];
                new SplittableRandom(7).nextBytes(body);
                viaA.objects().put("kill", "/dir/f", body, null);
                assertTrue(viaA.segments().locations("kill", "/dir/f", null).stream()
                        .allMatch(s -> s.shards().stream().map(ShardLocation::nodeId).anyMatch(dInfo.nodeId()::equals)),
                        "every segment has a shard on the member about to die");

                d.destroyForcibly().waitFor();
                assertTrue(NodeFixture.eventually(30, () -> dead(b, dId) && !inRoutingTable(b, dId)),
                        "the survivor saw the member die and dropped it from its DHT");

                InetAddress loopback = InetAddress.getLoopbackAddress();
                int bDhtPort = b.runtime().dhtPort();
                AtomicInteger datagramsFromB = new AtomicInteger();
                AtomicInteger shardConnections = new AtomicInteger();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, dInfo.dhtPort()));
                     ServerSocket tcp = new ServerSocket(dInfo.shardPort(), 50, loopback)) {
                    Thread udpCounter = daemon("count-udp", () -> {
                        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                        while (true) {
                            udp.receive(p);
                            if (p.getPort() == bDhtPort) {
                                datagramsFromB.incrementAndGet();
                            }
                        }
                    });
                    Thread tcpCounter = daemon("count-tcp", () -> {
                        while (true) {
                            try (Socket s = tcp.accept()) {
                                shardConnections.incrementAndGet();
                            }
                        }
                    });
                    RestfsClient viaB = new RestfsClient(URI.create(b.runtime().apiUrl()), token,
                            Duration.ofSeconds(60));
                    assertArrayEquals(body, viaB.objects().get("kill", "/dir/f", null));
                    assertEquals(List.of("f"), viaB.objects().listAll("kill", "/dir").stream().map(e -> e.name())
                            .toList());
                    assertEquals(0, datagramsFromB.get(), "DHT queries the survivor sent to the dead member");
                    assertEquals(0, shardConnections.get(), "shard connections to the dead member");
                    udpCounter.interrupt();
                    tcpCounter.interrupt();
                }
            } finally {
                d.destroyForcibly().waitFor();
            }
        }
    }

    private static boolean dead(NodeDaemon n, NodeId id) {
        return n.discovery().membership().get(id).filter(e -> e.state() == Membership.State.DEAD).isPresent();
    }

    private static boolean inRoutingTable(NodeDaemon n, NodeId id) {
        return n.context().dht().contacts().join().stream().anyMatch(c -> c.id().equals(id));
    }

    private interface Loop {
        void run() throws Exception;
    }

    /** A counting thread; it ends when its socket closes. */
    private static Thread daemon(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (SocketException closed) {
                // The test is done with the port.
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
