package io.restfs.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restfs.api.BucketPolicy;
import io.restfs.api.ErrorCode;
import io.restfs.api.ObjectInfo;
import io.restfs.api.ObjectVersion;
import io.restfs.api.RestfsException;
import io.restfs.api.ShardLocation;

/** Clusters smaller than the 2+2 metadata code and a default 4+2 bucket need: three nodes, and two. */
class SmallClusterTest {
    static final int SEGMENT = 64 << 10;

    @TempDir
    Path dir;

    @Test
    void aBucketThatFitsWorksAndOneThatDoesNotIsRefusedUnlessItMayDoubleUp() {
        try (LocalCluster cluster = LocalCluster.start(dir, 3, 3)) {
            StorageService s = cluster.storage(1);
            // 2+1 fits three nodes; its manifests (2+2) double up on them.
            s.create("fits", new BucketPolicy(2, 1, SEGMENT, true, true, false));
            byte[] body = StorageServiceTest.random(2 * SEGMENT + 1, 1);
            s.put("fits", "/f", body, null);
            assertArrayEquals(body, cluster.storage(2).get("fits", "/f", null));
            assertEquals(3, s.locations("fits", "/f", null).get(0).shards().stream().map(ShardLocation::nodeId)
                    .distinct().count());

            s.create("too-wide", new BucketPolicy(4, 2, SEGMENT, true, true, false));
            RestfsException e = assertThrows(RestfsException.class, () -> s.put("too-wide", "/f", body, null));
            assertEquals(ErrorCode.INSUFFICIENT_NODES, e.code(), e.toString());

            s.create("doubled", new BucketPolicy(4, 2, SEGMENT, true, true, true));
            s.put("doubled", "/f", body, null);
            assertArrayEquals(body, cluster.storage(0).get("doubled", "/f", null));
        }
    }

    @Test
    void twoNodesWriteMetadataWhileBothAreUpAndRefuseWritesWhenOneIsDown() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 2, 2)) {
            StorageService s0 = cluster.storage(0);
            StorageService s1 = cluster.storage(1);
            // 1+1 puts one shard on each node; the 2+2 manifests and listings double up, two shards on each.
            s0.create("pair", new BucketPolicy(1, 1, SEGMENT, true, true, true));
            s1.create("pair-wide", new BucketPolicy(2, 1, SEGMENT, true, true, true));
            assertEquals(java.util.Set.of("pair", "pair-wide"), s0.list().stream()
                    .map(io.restfs.api.BucketInfo::name).collect(java.util.stream.Collectors.toSet()));

            byte[] body = StorageServiceTest.random(3 * SEGMENT + 5, 2);
            assertEquals(1, s0.put("pair", "/f", body, null).version());
            assertArrayEquals(body, s1.get("pair", "/f", null));
            byte[] wide = StorageServiceTest.random(2 * SEGMENT + 7, 3);
            s1.put("pair-wide", "/w", wide, null);
            assertArrayEquals(wide, s0.get("pair-wide", "/w", null));

            byte[] second = StorageServiceTest.random(SEGMENT + 9, 4);
            assertEquals(2, s1.put("pair", "/f", second, 1L).version());
            RestfsException stale = assertThrows(RestfsException.class, () -> s0.put("pair", "/f", body, 1L));
            assertEquals(ErrorCode.CONFLICT, stale.code(), stale.toString());
            assertArrayEquals(second, s0.get("pair", "/f", null));
            assertArrayEquals(body, s0.get("pair", "/f", 1L));

            for (int round = 0; round < 4; round++) {
                raceOnExpectedVersion(cluster, "/cas" + round, round);
                raceReplacing(cluster, "/replace" + round, round);
            }

            cluster.stop(1);
            RestfsException create = assertThrows(RestfsException.class,
                    () -> s0.create("alone", new BucketPolicy(1, 1, SEGMENT, true, true, true)));
            assertRefusedForTooFewNodes(create);
            RestfsException put = assertThrows(RestfsException.class, () -> s0.put("pair", "/f", body, 2L));
            assertRefusedForTooFewNodes(put);
            // What is there stays readable: the pointer from this node's own copy, one shard of each segment.
            assertArrayEquals(second, s0.get("pair", "/f", null));
            assertArrayEquals(body, s0.get("pair", "/f", 1L));
        }
    }

    private static void assertRefusedForTooFewNodes(RestfsException e) {
        assertTrue(e.code() == ErrorCode.INSUFFICIENT_NODES || e.code() == ErrorCode.UNAVAILABLE, e.toString());
    }

    /** Two writers of version 2, one through each node: at most one is acknowledged, and it is what is stored. */
    private static void raceOnExpectedVersion(LocalCluster cluster, String path, int round) throws Exception {
        cluster.storage(0).put("pair", path, StorageServiceTest.random(10, round), null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ObjectInfo>> results = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                byte[] body = StorageServiceTest.random(SEGMENT + 100 * w, 10 + round * 2L + w);
                StorageService s = cluster.storage(w);
                results.add(pool.submit(() -> s.put("pair", path, body, 1L)));
            }
            List<ObjectInfo> won = new ArrayList<>();
            for (Future<ObjectInfo> f : results) {
                try {
                    won.add(f.get());
                } catch (ExecutionException e) {
                    RestfsException re = (RestfsException) e.getCause();
                    assertEquals(ErrorCode.CONFLICT, re.code(), re.toString());
                }
            }
            // Both can lose, when their swaps cross (each node took its own first): both are told CONFLICT.
            StorageServiceTest.assertAtMostOneWonVersion2(won, cluster.storage(1).stat("pair", path, null));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Two replaces without expectedVersion, one through each node: both are acknowledged and both are kept. */
    private static void raceReplacing(LocalCluster cluster, String path, int round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ObjectInfo>> results = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                byte[] body = StorageServiceTest.random(2000 + w, 50 + round * 2L + w);
                StorageService s = cluster.storage(w);
                results.add(pool.submit(() -> s.put("pair", path, body, null)));
            }
            Set<String> acknowledged = new HashSet<>();
            for (Future<ObjectInfo> f : results) {
                ObjectInfo info = f.get();
                assertTrue(acknowledged.add(info.version() + " " + info.sha256()), "versions are distinct: " + info);
            }
            Set<String> history = new HashSet<>();
            for (ObjectVersion v : cluster.storage(0).versionsAll("pair", path)) {
                history.add(v.version() + " " + v.sha256());
            }
            assertTrue(history.containsAll(acknowledged), "no write was lost: " + acknowledged + " in " + history);
        } finally {
            pool.shutdownNow();
        }
    }
}
