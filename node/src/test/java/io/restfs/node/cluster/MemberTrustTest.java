package io.restfs.node.cluster;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.node.DhtStats;
import io.restfs.dht.node.PutResult;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.daemon.NodeDaemon;
import io.restfs.node.daemon.NodeFixture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster members are exempt from the DHT's per-IP limits, which exist against strangers: on loopback every member
 * shares one IP, and a gateway writes a pointer record per object.
 */
class MemberTrustTest {
    /** Beyond the default per-source item quota. */
    private static final int RECORDS = DhtConfig.DEFAULT_MAX_ITEMS_PER_SOURCE + 100;
    /** Puts in flight at once: each is a lookup and a put, so the peer sees far more than 50 queries a second. */
    private static final int IN_FLIGHT = 16;

    @TempDir
    Path tmp;

    @Test
    void aMemberStoresMoreRecordsOnAnotherThanTheQuotaForStrangersAllowsWithoutBeingRateLimited() throws Exception {
        byte[] clusterKey = ClusterKeyFile.generate(new SecureRandom());
        try (NodeDaemon a = NodeFixture.start(NodeFixture.init(tmp.resolve("a"), clusterKey, List.of(), "a"));
             NodeDaemon b = NodeFixture.start(NodeFixture.init(tmp.resolve("b"), clusterKey,
                     List.of(NodeFixture.seedOf(a)), "b"))) {
            DhtNode writer = a.context().dht();
            DhtNode holder = b.context().dht();
            assertTrue(NodeFixture.eventually(30, () -> knows(writer, holder) && knows(holder, writer)),
                    "the members did not learn each other");
            Ed25519KeyPair owner = Ed25519KeyPair.generate(new SecureRandom());
            byte[] value = "5:hello".getBytes(StandardCharsets.US_ASCII);
            int storedOnHolder = 0;
            for (int first = 0; first < RECORDS; first += IN_FLIGHT) {
                List<CompletableFuture<PutResult>> puts = new ArrayList<>();
                for (int i = first; i < Math.min(RECORDS, first + IN_FLIGHT); i++) {
                    puts.add(writer.putMutable(owner, ("record-" + i).getBytes(StandardCharsets.US_ASCII), 1, value,
                            OptionalLong.empty()));
                }
                for (CompletableFuture<PutResult> p : puts) {
                    if (p.join().storedOn().stream().anyMatch(n -> n.id().equals(holder.id()))) {
                        storedOnHolder++;
                    }
                }
            }
            DhtStats stats = holder.stats().join();
            assertEquals(0, stats.rateLimited(), "queries from the member dropped by the rate limit");
            assertEquals(0, stats.itemsRefused(), "records from the member refused");
            assertEquals(RECORDS, storedOnHolder);
            assertTrue(stats.storedItems() >= RECORDS, "the holder keeps " + stats.storedItems() + " items");
        }
    }

    private static boolean knows(DhtNode n, DhtNode other) {
        return n.contacts().join().stream().anyMatch(c -> c.id().equals(other.id()));
    }
}
