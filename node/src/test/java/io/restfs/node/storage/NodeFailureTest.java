package io.restfs.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restfs.api.BucketPolicy;
import io.restfs.api.SegmentInfo;
import io.restfs.api.ShardLocation;
import io.restfs.dht.id.NodeId;

/** Storage on a six-node loopback cluster while nodes die. */
class NodeFailureTest {
    static final int SEGMENT = 64 << 10;

    @TempDir
    Path dir;

    @Test
    void readsEverythingBackWithMHoldersStopped() {
        try (LocalCluster cluster = LocalCluster.start(dir, 6, 6)) {
            StorageService gateway = cluster.storage(0);
            gateway.create("survive", new BucketPolicy(4, 2, SEGMENT, true, true, false));
            byte[] big = StorageServiceTest.random(6 * SEGMENT + 5, 1);
            byte[] small = StorageServiceTest.random(300, 2);
            gateway.put("survive", "/big", big, null);
            gateway.put("survive", "/dir/small", small, null);
            // Stop two nodes (other than the reader) that hold shards of the first segment.
            List<ShardLocation> first = gateway.locations("survive", "/big", null).get(0).shards();
            Set<Integer> stopped = new HashSet<>();
            for (ShardLocation loc : first) {
                LocalCluster.Node holder = cluster.byId(NodeId.fromHex(loc.nodeId()));
                if (holder.index != 5 && stopped.size() < 2) {
                    cluster.stop(holder.index);
                    stopped.add(holder.index);
                }
            }
            assertEquals(2, stopped.size());
            StorageService reader = cluster.storage(5);
            assertArrayEquals(big, reader.get("survive", "/big", null));
            assertArrayEquals(small, reader.get("survive", "/dir/small", null));
            assertEquals(List.of("small"), reader.listAll("survive", "/dir").stream().map(e -> e.name()).toList());
        }
    }

    @Test
    void putWhileAHolderIsDeadRetriesOnTheNextClosestNodes() {
        try (LocalCluster cluster = LocalCluster.start(dir, 6, 6)) {
            StorageService gateway = cluster.storage(0);
            // 3+2 on six nodes leaves a spare node for every segment.
            gateway.create("retry", new BucketPolicy(3, 2, SEGMENT, true, true, false));
            gateway.put("retry", "/warm", new byte[10], null);
            // The gateway still counts node 3 as a member when it dies: its placements will pick it.
            NodeId dead = cluster.node(3).id();
            cluster.stop(3);
            byte[] body = StorageServiceTest.random(12 * SEGMENT, 3);
            gateway.put("retry", "/f", body, null);
            List<SegmentInfo> segments = gateway.locations("retry", "/f", null);
            for (SegmentInfo seg : segments) {
                assertEquals(5, seg.shards().size());
                assertFalse(seg.shards().stream().anyMatch(l -> l.nodeId().equals(dead.toHex())),
                        "no shard was acknowledged by the dead node");
                assertEquals(5, seg.shards().stream().map(ShardLocation::nodeId).distinct().count());
            }
            assertArrayEquals(body, cluster.storage(4).get("retry", "/f", null));
            assertTrue(segments.size() == 12);
        }
    }

    @Test
    void aVersionDeleteWithAHolderDownLeavesItsShardThereAndCountsIt() {
        try (LocalCluster cluster = LocalCluster.start(dir, 6, 6)) {
            StorageService gateway = cluster.storage(0);
            gateway.create("orphans", new BucketPolicy(4, 2, SEGMENT, true, true, false));
            gateway.put("orphans", "/f", StorageServiceTest.random(1000, 4), null);
            byte[] v2 = StorageServiceTest.random(1000, 5);
            gateway.put("orphans", "/f", v2, null);
            List<ShardLocation> v1 = gateway.locations("orphans", "/f", 1L).get(0).shards();
            LocalCluster.Node down = v1.stream().map(l -> cluster.byId(NodeId.fromHex(l.nodeId())))
                    .filter(n -> n.index != 0).findFirst().orElseThrow();
            cluster.stop(down.index);

            gateway.deleteVersion("orphans", "/f", 1L);

            assertEquals(List.of(2L), gateway.versionsAll("orphans", "/f").stream().map(v -> v.version()).toList());
            assertArrayEquals(v2, gateway.get("orphans", "/f", null));
            for (ShardLocation loc : v1) {
                LocalCluster.Node holder = cluster.byId(NodeId.fromHex(loc.nodeId()));
                if (holder != down) {
                    assertFalse(holder.store.has(io.restfs.blockstore.store.ShardKey.of(
                            io.restfs.blockstore.store.Sha256.fromHex(loc.sha256()))), "deleted on live node "
                            + holder.index);
                }
            }
            // The dead holder's data shard, and any shard of the replaced manifest it held, are orphans.
            assertTrue(gateway.shardsOrphaned() >= 1, "orphans " + gateway.shardsOrphaned());
            assertEquals(6 + 4, gateway.shardsOrphaned() + gateway.shardsReclaimed());
        }
    }
}
