package io.restfs.node.cluster;

import io.restfs.api.BucketPolicy;
import io.restfs.api.ObjectInfo;
import io.restfs.api.SegmentInfo;
import io.restfs.api.ShardLocation;
import io.restfs.api.client.RestfsClient;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.api.client.TransferListener;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import io.restfs.node.cli.Main;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.config.NodeConfigFile;
import io.restfs.node.config.RuntimeInfo;
import io.restfs.node.daemon.NodeDaemon;
import io.restfs.node.daemon.NodeFixture;
import io.restfs.node.daemon.ServingNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node process killed with SIGKILL while a streaming put sends it shards: the put retries the lost shards on the
 * next-closest nodes and completes, the object reads back byte-identical through another node, and every shard its
 * segments name on the dead node is one that node had made durable before it died.
 */
class KillDuringPutTest {
    private static final int NODES = 7;
    /** 4+2 on seven nodes: every segment has a spare node to move a lost shard to. */
    private static final BucketPolicy POLICY = new BucketPolicy(4, 2, 2 << 20, true, true, false);
    private static final int SEGMENTS = 24;
    private static final int SIZE = SEGMENTS * POLICY.segmentSize();
    /** A data shard of a segment is a quarter of it; metadata shards (manifests, listings) are far smaller. */
    private static final long DATA_SHARD_MIN_BYTES = POLICY.segmentSize() / POLICY.k() / 2;
    /** Data shards a node must have stored before it is killed: it is taking part in the put. */
    private static final int SHARDS_BEFORE_KILL = 2;
    /** The body's last segments wait for the kill, so at least these are placed after it. */
    private static final int SEGMENTS_AFTER_KILL = 3;
    /** Starting seven nodes (one a JVM of its own) on two shared cores. */
    private static final long JOIN_SECONDS = 120;
    private static final long WAIT_SECONDS = 120;

    @TempDir
    Path tmp;

    @Test
    void aPutWhoseHolderIsKilledMidwayRetriesElsewhereAndReadsBackWhole() throws Exception {
        byte[] clusterKey = ClusterKeyFile.generate(new SecureRandom());
        Path firstConfig = NodeFixture.init(tmp.resolve("n0"), clusterKey, List.of(), "n0");
        String token = TokenStore.open(tmp.resolve("n0")).create(Grant.adminGrant(), "test");
        List<NodeDaemon> live = new ArrayList<>();
        Process victim = null;
        try {
            live.add(ServingNode.start(NodeConfigFile.load(firstConfig)));
            List<String> seeds = List.of(NodeFixture.seedOf(live.get(0)));
            // The victim is a node process of its own, so that SIGKILL ends it as a crash would.
            Path victimDir = tmp.resolve("victim");
            Path victimConfig = NodeFixture.init(victimDir, clusterKey, seeds, "victim");
            victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "node", "--config", victimConfig.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("victim.log").toFile()).start();
            for (int i = 1; i < NODES - 1; i++) {
                Path dir = tmp.resolve("n" + i);
                Path config = NodeFixture.init(dir, clusterKey, seeds, "n" + i);
                TokenStore.open(dir).add(token, Grant.adminGrant(), "test");
                live.add(ServingNode.start(NodeConfigFile.load(config)));
            }
            assertTrue(NodeFixture.eventually(JOIN_SECONDS, () -> live.stream().allMatch(
                    n -> n.discovery().membership().alive().size() >= NODES - 1
                            && NodeFixture.knowsDataHolders(n, NODES - 1))),
                    "the seven nodes did not all learn each other (victim log: " + tmp.resolve("victim.log") + ")");
            String victimId = RuntimeInfo.read(victimDir.resolve(RuntimeInfo.FILE_NAME)).orElseThrow().nodeId();
            Path victimShards = NodeConfigFile.load(victimConfig).shardsDir();

            RestfsClient gateway = new RestfsClient(URI.create(live.get(0).runtime().apiUrl()), token,
                    Duration.ofMinutes(3));
            gateway.buckets().create("kill", POLICY);
            byte[] body = new byte[SIZE];
            new SplittableRandom(11).nextBytes(body);
            Path file = tmp.resolve("body");
            Files.write(file, body);
            CountDownLatch killed = new CountDownLatch(1);
            AtomicBoolean atGate = new AtomicBoolean();
            long gateAt = SIZE - (long) SEGMENTS_AFTER_KILL * POLICY.segmentSize();
            CompletableFuture<ObjectInfo> put = CompletableFuture.supplyAsync(() -> {
                try {
                    return gateway.upload("kill", "/big", file, null, (done, total) -> {
                        if (done >= gateAt) {
                            atGate.set(true);
                            awaitKill(killed);
                        }
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            // Killed once it has stored some of the put's data shards (it is one of the put's holders) and, if
            // caught in time, while it writes another; at the latest once the body waits for the kill.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!(dataShards(victimShards) >= SHARDS_BEFORE_KILL && (receiving(victimShards) || atGate.get()))
                    && !put.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(dataShards(victimShards) >= SHARDS_BEFORE_KILL,
                    "the victim stored no data shards of the put: " + describe(put));
            victim.destroyForcibly().waitFor();
            killed.countDown();

            ObjectInfo stored = put.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(SIZE, stored.size());
            assertEquals(hex(sha256(body)), stored.sha256());

            // Read through a node that is neither the gateway nor the dead one.
            RestfsClient reader = new RestfsClient(URI.create(live.get(1).runtime().apiUrl()), token,
                    Duration.ofMinutes(3));
            Path back = tmp.resolve("back");
            ObjectInfo read = reader.download("kill", "/big", null, back, TransferListener.NONE);
            assertEquals(stored.version(), read.version());
            assertArrayEquals(sha256(body), sha256(Files.readAllBytes(back)), "SHA-256 of the bytes read back");

            List<SegmentInfo> segments = reader.segments().locations("kill", "/big", null);
            assertEquals(SEGMENTS, segments.size());
            List<ShardLocation> onDead = new ArrayList<>();
            for (SegmentInfo s : segments) {
                assertEquals(POLICY.k() + POLICY.m(), s.shards().stream().map(ShardLocation::nodeId).distinct().count(),
                        "segment " + s.index() + " has its shards on distinct nodes: " + s.shards());
                s.shards().stream().filter(l -> l.nodeId().equals(victimId)).forEach(onDead::add);
            }
            long withoutDead = segments.stream()
                    .filter(s -> s.shards().stream().noneMatch(l -> l.nodeId().equals(victimId))).count();
            assertTrue(withoutDead >= SEGMENTS_AFTER_KILL, "the segments stored after the kill (at least "
                    + SEGMENTS_AFTER_KILL + ") have no shard on the dead node; " + withoutDead + " have none");
            // Whatever the manifests place on the dead node, that node had stored and synced before it died.
            try (ShardStore deadStore = ShardStore.open(victimShards, 1L << 30, Clock.systemUTC())) {
                for (ShardLocation l : onDead) {
                    ShardKey key = ShardKey.of(Sha256.fromHex(l.sha256()));
                    assertTrue(deadStore.has(key), "shard " + l + " named on the dead node is in its store");
                    assertEquals(l.sha256(), hex(sha256(deadStore.get(key))));
                }
            }
        } finally {
            if (victim != null) {
                victim.destroyForcibly().waitFor();
            }
            for (NodeDaemon n : live) {
                n.close();
            }
        }
    }

    /** Holds the upload's body (so the put cannot end) until the victim is dead. */
    private static void awaitKill(CountDownLatch killed) {
        try {
            if (!killed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no node was killed while the body waited");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String describe(CompletableFuture<ObjectInfo> put) {
        if (!put.isDone()) {
            return "the put is still running";
        }
        try {
            return "the put ended with " + put.join();
        } catch (RuntimeException e) {
            return "the put failed: " + e;
        }
    }

    private static long segmentsWithAShardOn(List<SegmentInfo> segments, String nodeId) {
        return segments.stream().filter(s -> s.shards().stream().anyMatch(l -> l.nodeId().equals(nodeId))).count();
    }

    /** Whether a node's store is writing a shard now (a temporary file that becomes the shard once synced). */
    private static boolean receiving(Path shardsDir) throws IOException {
        Path tmpDir = shardsDir.resolve("tmp");
        if (!Files.isDirectory(tmpDir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(tmpDir)) {
            return files.findAny().isPresent();
        } catch (UncheckedIOException racedWithAWrite) {
            return false;
        }
    }

    /** Data shard files a node's store holds (content-addressed files under {@code shards/}). */
    private static long dataShards(Path shardsDir) throws IOException {
        Path root = shardsDir.resolve("shards");
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> {
                try {
                    return Files.isRegularFile(f) && Files.size(f) >= DATA_SHARD_MIN_BYTES;
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (UncheckedIOException racedWithAWrite) {
            return 0;
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
