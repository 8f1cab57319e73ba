package io.restfs.node.client;

import io.restfs.api.BucketPolicy;
import io.restfs.api.ErrorCode;
import io.restfs.api.ObjectInfo;
import io.restfs.api.RestfsException;
import io.restfs.api.SegmentInfo;
import io.restfs.api.ShardLocation;
import io.restfs.api.client.RestfsClient;
import io.restfs.api.client.TransferListener;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import io.restfs.node.rpc.RestfsApi;
import io.restfs.node.rpc.TestHttpServer;
import io.restfs.node.storage.LocalCluster;
import io.restfs.node.storage.StorageService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API in front of the real storage service: a six-node in-process cluster (real DHT, shard stores and transfer on
 * loopback), the servlets on one node's Tomcat, and the Java client and CLI talking to it.
 */
class StorageEndToEndTest {
    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static TestHttpServer server;
    static TokenStore tokens;
    static RestfsClient admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(dir.resolve("cluster"), 6, 3);
        StorageService storage = cluster.storage(0);
        Path nodeDir = Files.createDirectories(dir.resolve("api"));
        tokens = TokenStore.open(nodeDir);
        RestfsApi api = RestfsApi.over(storage, tokens);
        server = TestHttpServer.start(Files.createDirectories(dir.resolve("tomcat")),
                Map.of("/rpc", api.rpcServlet(), "/o/*", api.objectServlet()));
        admin = RestfsClient.connect(server.uri(), tokens.create(Grant.adminGrant(), "e2e"));
        admin.buckets().create("e2e", new BucketPolicy(4, 2, 256 << 10, true, true, false));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void streamedObjectRoundTripsAndItsShardsAreSpread() throws Exception {
        byte[] data = new byte[(1 << 20) + 12_345];
        new Random(11).nextBytes(data);
        Path src = Files.write(dir.resolve("src.bin"), data);
        ObjectInfo put = admin.upload("e2e", "/big.bin", src, null, TransferListener.NONE);
        assertEquals(data.length, put.size());
        assertEquals(5, put.segments());

        Path back = dir.resolve("back.bin");
        admin.download("e2e", "/big.bin", null, back, TransferListener.NONE);
        assertArrayEquals(data, Files.readAllBytes(back));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 300_000, 300_100),
                admin.readRange("e2e", "/big.bin", null, 300_000, 100));

        List<SegmentInfo> segments = admin.segments().locations("e2e", "/big.bin", null);
        assertEquals(5, segments.size());
        for (SegmentInfo s : segments) {
            assertEquals(6, s.shards().size());
            Set<String> holders = new HashSet<>();
            for (ShardLocation l : s.shards()) {
                holders.add(l.nodeId());
            }
            assertEquals(6, holders.size(), "each shard of a segment on its own node: " + s);
        }
    }

    @Test
    void inlineCallsVersionsAndAclsThroughRealStorage() throws Exception {
        admin.objects().put("e2e", "/small.txt", "one".getBytes(), null);
        admin.objects().put("e2e", "/small.txt", "two".getBytes(), 1L);
        RestfsException conflict = assertThrows(RestfsException.class,
                () -> admin.objects().put("e2e", "/small.txt", "lost".getBytes(), 1L));
        assertEquals(ErrorCode.CONFLICT, conflict.code());
        assertArrayEquals("one".getBytes(), admin.objects().get("e2e", "/small.txt", 1L));
        assertEquals(2, admin.objects().versionsAll("e2e", "/small.txt").size());

        RestfsClient other = RestfsClient.connect(server.uri(), tokens.create(Grant.on(Set.of("elsewhere"), Set.of()),
                "other"));
        RestfsException forbidden = assertThrows(RestfsException.class,
                () -> other.objects().get("e2e", "/small.txt", null));
        assertEquals(ErrorCode.FORBIDDEN, forbidden.code());
        assertTrue(other.buckets().list().isEmpty());
    }

    @Test
    void segmentPutThroughTheClientNeedsWriteRightsOnTheBucket() throws Exception {
        int segment = 256 << 10;
        byte[] body = new byte[2 * segment + 50];
        new Random(12).nextBytes(body);
        ObjectInfo v1 = admin.objects().put("e2e", "/seg.bin", body, null);
        byte[] first = new byte[segment];
        new Random(13).nextBytes(first);

        RestfsClient reader = RestfsClient.connect(server.uri(), tokens.create(Grant.on(Set.of("e2e"), Set.of()), "r"));
        RestfsException refused = assertThrows(RestfsException.class,
                () -> reader.segments().put("e2e", "/seg.bin", 0, first, v1.version()));
        assertEquals(ErrorCode.FORBIDDEN, refused.code());
        RestfsClient otherWriter = RestfsClient.connect(server.uri(),
                tokens.create(Grant.on(Set.of(), Set.of("elsewhere")), "w-elsewhere"));
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(RestfsException.class,
                () -> otherWriter.segments().put("e2e", "/seg.bin", 0, first, null)).code());

        RestfsClient writer = RestfsClient.connect(server.uri(), tokens.create(Grant.on(Set.of(), Set.of("e2e")), "w"));
        ObjectInfo v2 = writer.segments().put("e2e", "/seg.bin", 0, first, v1.version());
        assertEquals(v1.version() + 1, v2.version());
        byte[] expected = body.clone();
        System.arraycopy(first, 0, expected, 0, segment);
        assertArrayEquals(expected, reader.objects().get("e2e", "/seg.bin", null));
        assertArrayEquals(body, reader.objects().get("e2e", "/seg.bin", v1.version()));
        assertArrayEquals(first, reader.segments().get("e2e", "/seg.bin", null, 0));
        RestfsException conflict = assertThrows(RestfsException.class,
                () -> writer.segments().put("e2e", "/seg.bin", 1, first, v1.version()));
        assertEquals(ErrorCode.CONFLICT, conflict.code());
        assertTrue(conflict.detail().contains("version " + v2.version()), conflict.detail());
        // A streamed download of the new version, whose whole-file hash is not known, still verifies and completes.
        Path back = dir.resolve("seg-back.bin");
        admin.download("e2e", "/seg.bin", null, back, TransferListener.NONE);
        assertArrayEquals(expected, Files.readAllBytes(back));
        ClientCommandsTest.Run get = ClientCommandsTest.run(new io.restfs.node.cli.Main(), "get", "-q", "e2e/seg.bin",
                back.toString(), "--node", server.uri().toString(), "--token", tokens.create(Grant.adminGrant(), "g"));
        assertEquals(0, get.code(), get.err());
        assertTrue(get.out().contains("no whole-file SHA-256 to check"), get.out());
        assertArrayEquals(expected, Files.readAllBytes(back));
        ClientCommandsTest.Run stat = ClientCommandsTest.run(new io.restfs.node.cli.Main(), "stat", "e2e/seg.bin",
                "--node", server.uri().toString(), "--token", tokens.create(Grant.adminGrant(), "s"));
        assertTrue(stat.out().contains("sha256    (not known: written segment by segment)"), stat.out());
        ClientCommandsTest.Run versions = ClientCommandsTest.run(new io.restfs.node.cli.Main(), "versions",
                "e2e/seg.bin", "--node", server.uri().toString(), "--token", tokens.create(Grant.adminGrant(), "v"));
        assertEquals(1, versions.out().lines().filter(l -> l.endsWith("(not known: written segment by segment)"))
                .count(), versions.out());
        assertTrue(versions.out().contains(v1.sha256()), versions.out());
    }

    @Test
    void cliStatShowsWhereEachShardLives() throws Exception {
        admin.objects().put("e2e", "/stat.txt", new byte[1000], null);
        ClientCommandsTest.Run r = ClientCommandsTest.run(new io.restfs.node.cli.Main(), "stat", "e2e/stat.txt",
                "--node", server.uri().toString(), "--token", tokens.create(Grant.on(Set.of("e2e"), Set.of()), "r"));
        assertEquals(0, r.code(), r.err());
        assertEquals(6, r.out().lines().filter(l -> l.startsWith("  shard ")).count(), r.out());
    }
}
