package io.restfs.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restfs.api.BucketPolicy;
import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import io.restfs.api.ShardLocation;

/** Three nodes: fewer than the 2+2 metadata code and a default 4+2 bucket need; and two, too few for metadata. */
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
    void twoNodesAreRefusedWithTheReasonNotAsARace() {
        try (LocalCluster cluster = LocalCluster.start(dir, 2, 2)) {
            RestfsException e = assertThrows(RestfsException.class, () -> cluster.storage(0).create("pair",
                    new BucketPolicy(1, 1, SEGMENT, true, true, true)));
            assertEquals(ErrorCode.INSUFFICIENT_NODES, e.code(), e.toString());
            assertTrue(e.getMessage().contains("at least 3 live nodes"), e.getMessage());
        }
    }
}
