package io.restfs.node.storage;

import static io.restfs.node.storage.StorageServiceTest.SEGMENT;
import static io.restfs.node.storage.StorageServiceTest.SMALL_SEGMENTS;
import static io.restfs.node.storage.StorageServiceTest.random;
import static io.restfs.node.storage.StorageServiceTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServlet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restfs.api.ErrorCode;
import io.restfs.api.ObjectVersion;
import io.restfs.api.RestfsException;
import io.restfs.api.SegmentInfo;
import io.restfs.api.ShardLocation;
import io.restfs.api.client.RestfsClient;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.dht.id.NodeId;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import io.restfs.node.cli.CliRun;
import io.restfs.node.rpc.RestfsApi;
import io.restfs.node.rpc.TestHttpServer;

/**
 * object.deleteVersion on a six-node loopback cluster in three failure groups: what a deleted version leaves in
 * the history and on the holders' disks, what is refused, and the JSON-RPC method, its rights and the CLI.
 */
class VersionDeleteTest {
    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(dir, 6, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static long shardsOnAllNodes() {
        long n = 0;
        for (int i = 0; i < cluster.size(); i++) {
            n += cluster.node(i).store.stats().shardCount();
        }
        return n;
    }

    static boolean held(ShardLocation loc) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.node(i).id().equals(NodeId.fromHex(loc.nodeId()))) {
                return cluster.node(i).store.has(ShardKey.of(Sha256.fromHex(loc.sha256())));
            }
        }
        throw new AssertionError("no node " + loc.nodeId());
    }

    static List<Long> versions(String bucket, String path) {
        return cluster.storage(0).versionsAll(bucket, path).stream().map(ObjectVersion::version).toList();
    }

    @Test
    void deletingTheMiddleVersionFreesExactlyTheShardsOnlyItHeld() throws Exception {
        StorageService s = cluster.storage(1);
        s.create("purge-middle", SMALL_SEGMENTS);
        byte[] v1 = random(2 * SEGMENT + 1000, 1);
        s.put("purge-middle", "/f", v1, null);
        // Versions 2 and 3 rewrite the middle segment: each lists segments 0 and 2 of version 1.
        byte[] middle2 = random(SEGMENT, 2);
        byte[] middle3 = random(SEGMENT, 3);
        assertEquals(2, s.put("purge-middle", "/f", 1, middle2, null).version());
        assertEquals(3, s.put("purge-middle", "/f", 1, middle3, null).version());
        byte[] v3 = v1.clone();
        System.arraycopy(middle3, 0, v3, SEGMENT, SEGMENT);
        List<SegmentInfo> segs2 = cluster.storage(0).locations("purge-middle", "/f", 2L);
        List<SegmentInfo> segs3 = cluster.storage(0).locations("purge-middle", "/f", 3L);
        List<SegmentInfo> segs1 = cluster.storage(0).locations("purge-middle", "/f", 1L);
        assertEquals(segs1.get(0), segs2.get(0));
        assertEquals(segs1.get(2), segs3.get(2));
        long before = shardsOnAllNodes();

        cluster.storage(4).deleteVersion("purge-middle", "/f", 2L);

        assertEquals(List.of(3L, 1L), versions("purge-middle", "/f"));
        assertArrayEquals(v1, cluster.storage(2).get("purge-middle", "/f", 1L));
        assertArrayEquals(v3, cluster.storage(3).get("purge-middle", "/f", 3L));
        assertArrayEquals(v3, cluster.storage(5).get("purge-middle", "/f", null));
        RestfsException gone = refused(ErrorCode.NOT_FOUND, () -> cluster.storage(0).get("purge-middle", "/f", 2L));
        assertTrue(gone.getMessage().contains("version 2 was deleted"), gone.getMessage());
        refused(ErrorCode.NOT_FOUND, () -> cluster.storage(5).stat("purge-middle", "/f", 2L));
        refused(ErrorCode.NOT_FOUND, () -> cluster.storage(5).locations("purge-middle", "/f", 2L));
        // Only version 2's own segment (its middle one, 4+2 shards) left the disks; the manifest it replaced as
        // the head was swapped for one of the same size (2+2 shards each).
        assertEquals(before - 6, shardsOnAllNodes());
        for (ShardLocation loc : segs2.get(1).shards()) {
            assertFalse(held(loc), "shard " + loc.index() + " of version 2's own segment is deleted");
        }
        for (List<SegmentInfo> kept : List.of(segs1, segs3)) {
            for (SegmentInfo seg : kept) {
                for (ShardLocation loc : seg.shards()) {
                    assertTrue(held(loc), "shard " + loc.index() + " of segment " + seg.index() + " is kept");
                }
            }
        }
        assertEquals(6 + 4, cluster.storage(4).shardsReclaimed());
        assertEquals(0, cluster.storage(4).shardsOrphaned());
        // A new version builds on the purged history; the purge stays.
        assertEquals(4, cluster.storage(0).put("purge-middle", "/f", v1, null).version());
        assertEquals(List.of(4L, 3L, 1L), versions("purge-middle", "/f"));
        refused(ErrorCode.NOT_FOUND, () -> cluster.storage(0).get("purge-middle", "/f", 2L));
        assertArrayEquals(v3, cluster.storage(2).get("purge-middle", "/f", 3L));
    }

    @Test
    void afterAnObjectDeleteEveryDataVersionCanBeDeletedAndItsSpaceComesBack() throws Exception {
        StorageService s = cluster.storage(2);
        s.create("purge-all", SMALL_SEGMENTS);
        long empty = shardsOnAllNodes();
        s.put("purge-all", "/doc", random(3 * SEGMENT, 4), null);
        s.put("purge-all", "/doc", random(SEGMENT + 5, 5), null);
        RestfsException newest = refused(ErrorCode.INVALID_PARAMS, () -> s.deleteVersion("purge-all", "/doc", 2L));
        assertTrue(newest.getMessage().contains("newest"), newest.getMessage());
        s.delete("purge-all", "/doc");
        long deleted = shardsOnAllNodes();
        s.deleteVersion("purge-all", "/doc", 1L);
        cluster.storage(3).deleteVersion("purge-all", "/doc", 2L);
        assertEquals(List.of(3L), versions("purge-all", "/doc"));
        // 3 + 2 data segments of 4+2 shards each.
        assertEquals(deleted - 5 * 6, shardsOnAllNodes());
        refused(ErrorCode.INVALID_PARAMS, () -> s.deleteVersion("purge-all", "/doc", 3L));
        byte[] again = random(1000, 6);
        assertEquals(4, s.put("purge-all", "/doc", again, null).version());
        assertEquals(List.of(4L, 3L), versions("purge-all", "/doc"));
        assertArrayEquals(again, cluster.storage(5).get("purge-all", "/doc", null));
        // The delete marker, no longer the newest, can go too.
        s.deleteVersion("purge-all", "/doc", 3L);
        assertEquals(List.of(4L), versions("purge-all", "/doc"));
        assertTrue(shardsOnAllNodes() > empty, "version 4 and the metadata are still stored");
    }

    @Test
    void badVersionsDirectoriesAndMissingObjectsAreRefusedClearly() {
        StorageService s = cluster.storage(3);
        s.create("purge-bad", SMALL_SEGMENTS);
        s.put("purge-bad", "/dir/f", random(100, 7), null);
        s.put("purge-bad", "/dir/f", random(100, 8), null);
        for (Long bad : new Long[] {0L, -1L, null}) {
            RestfsException e = refused(ErrorCode.INVALID_PARAMS, () -> s.deleteVersion("purge-bad", "/dir/f", bad));
            assertTrue(e.getMessage().contains("1 or more"), e.getMessage());
        }
        RestfsException unknown = refused(ErrorCode.NOT_FOUND, () -> s.deleteVersion("purge-bad", "/dir/f", 9L));
        assertTrue(unknown.getMessage().contains("no version 9 (the newest is 2)"), unknown.getMessage());
        refused(ErrorCode.INVALID_PARAMS, () -> s.deleteVersion("purge-bad", "/dir", 1L));
        refused(ErrorCode.NOT_FOUND, () -> s.deleteVersion("purge-bad", "/dir/none", 1L));
        refused(ErrorCode.NOT_FOUND, () -> s.deleteVersion("no-such-bucket", "/dir/f", 1L));
        s.deleteVersion("purge-bad", "/dir/f", 1L);
        RestfsException twice = refused(ErrorCode.NOT_FOUND, () -> s.deleteVersion("purge-bad", "/dir/f", 1L));
        assertTrue(twice.getMessage().contains("no version 1"), twice.getMessage());
    }

    @Test
    void aVersionARenameSharesWithAnotherPathIsKept() throws Exception {
        StorageService s = cluster.storage(0);
        s.create("purge-mv", SMALL_SEGMENTS);
        byte[] old = random(2 * SEGMENT, 9);
        byte[] moved = random(2 * SEGMENT, 10);
        s.put("purge-mv", "/a", old, null);
        s.put("purge-mv", "/a", moved, null);
        s.rename("purge-mv", "/a", "/b");
        // /a: 1 (its own), 2 (now also /b's version 1), 3 (the rename's delete). /b: 1.
        refused(ErrorCode.INVALID_PARAMS, () -> s.deleteVersion("purge-mv", "/a", 2L));
        s.put("purge-mv", "/b", 0, random(SEGMENT, 11), null);
        RestfsException e = refused(ErrorCode.INVALID_PARAMS, () -> s.deleteVersion("purge-mv", "/b", 1L));
        assertTrue(e.getMessage().contains("rename"), e.getMessage());
        s.put("purge-mv", "/a", random(10, 12), null);
        refused(ErrorCode.INVALID_PARAMS, () -> s.deleteVersion("purge-mv", "/a", 3L));
        // /a's version 1 is its own: it goes, and both paths still read what the rename shares.
        s.deleteVersion("purge-mv", "/a", 1L);
        assertEquals(List.of(4L, 3L, 2L), versions("purge-mv", "/a"));
        assertArrayEquals(moved, cluster.storage(4).get("purge-mv", "/a", 2L));
        assertArrayEquals(moved, cluster.storage(5).get("purge-mv", "/b", 1L));
    }

    @Test
    void theJsonRpcMethodNeedsWriteRightsAndTheCliDeletesAVersion() throws Exception {
        StorageService s = cluster.storage(5);
        s.create("purge-rpc", SMALL_SEGMENTS);
        s.put("purge-rpc", "/f", random(500, 13), null);
        s.put("purge-rpc", "/f", random(500, 14), null);
        s.put("purge-rpc", "/f", random(500, 15), null);
        TokenStore tokens = TokenStore.open(Files.createDirectories(dir.resolve("api-node")));
        RestfsApi api = RestfsApi.over(s, tokens);
        Map<String, HttpServlet> mounts = Map.of("/rpc", api.rpcServlet(), "/o/*", api.objectServlet());
        try (TestHttpServer server = TestHttpServer.start(Files.createDirectories(dir.resolve("tomcat")), mounts)) {
            RestfsClient reader = RestfsClient.connect(server.uri(),
                    tokens.create(Grant.on(Set.of("purge-rpc"), Set.of()), "reader"));
            String writerToken = tokens.create(Grant.on(Set.of("purge-rpc"), Set.of("purge-rpc")), "writer");
            RestfsClient writer = RestfsClient.connect(server.uri(), writerToken);
            refused(ErrorCode.FORBIDDEN, () -> reader.objects().deleteVersion("purge-rpc", "/f", 1L));
            assertEquals(List.of(3L, 2L, 1L), versions("purge-rpc", "/f"));
            writer.objects().deleteVersion("purge-rpc", "/f", 1L);
            refused(ErrorCode.INVALID_PARAMS, () -> writer.objects().deleteVersion("purge-rpc", "/f", 3L));
            refused(ErrorCode.NOT_FOUND, () -> writer.objects().deleteVersion("purge-rpc", "/f", 1L));

            List<String> common = List.of("--node", server.uri().toString(), "--token", writerToken);
            List<String> args = new ArrayList<>(List.of("rm", "purge-rpc/f", "--version", "2"));
            args.addAll(common);
            CliRun rm = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, rm.exitCode(), rm.err() + rm.out());
            assertTrue(rm.out().contains("deleted version 2 of purge-rpc/f"), rm.out());
            assertEquals(List.of(3L), versions("purge-rpc", "/f"));
            List<String> again = new ArrayList<>(List.of("rm", "purge-rpc/f", "--version", "2"));
            again.addAll(common);
            CliRun missing = CliRun.of(again.toArray(String[]::new));
            assertTrue(missing.exitCode() != 0 && missing.err().contains("no version 2"), missing.err() + missing.out());
        }
    }

    @Test
    void versionDeletesRacingWritesAndEachOtherAllLand() throws Exception {
        StorageService s = cluster.storage(2);
        s.create("purge-race", SMALL_SEGMENTS);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String p = "/r" + round;
                List<byte[]> bodies = new ArrayList<>();
                for (int v = 1; v <= 3; v++) {
                    bodies.add(random(300 + v, 100 * round + v));
                    s.put("purge-race", p, bodies.get(v - 1), null);
                }
                byte[] fourth = random(400, 100 * round + 4);
                // A version delete against a write, and two version deletes against each other.
                var delete = pool.submit(() -> cluster.storage(1).deleteVersion("purge-race", p, 1L));
                var write = pool.submit(() -> cluster.storage(4).put("purge-race", p, fourth, null));
                delete.get();
                assertEquals(4, write.get().version());
                var first = pool.submit(() -> cluster.storage(0).deleteVersion("purge-race", p, 2L));
                var second = pool.submit(() -> cluster.storage(5).deleteVersion("purge-race", p, 3L));
                first.get();
                second.get();
                assertEquals(List.of(4L), versions("purge-race", p), "round " + round);
                assertArrayEquals(fourth, cluster.storage(3).get("purge-race", p, null));
                for (long gone = 1; gone <= 3; gone++) {
                    long v = gone;
                    refused(ErrorCode.NOT_FOUND, () -> cluster.storage(3).get("purge-race", p, v));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
