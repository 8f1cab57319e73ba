package io.restfs.dht.node;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.persist.MemoryStateStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBoundsTest {
    private static final int BOUND = 8;

    @Test
    void perPeerMemoriesStayWithinTheConfiguredBounds() {
        DhtConfig bounded = DhtConfig.defaults().withMemoryBounds(BOUND, BOUND, BOUND);
        MemoryCluster cluster = new MemoryCluster(41, bounded, 5, 20);
        cluster.grow(80);
        DhtNode unbounded = cluster.add(DhtConfig.defaults());
        cluster.await(unbounded.bootstrap(List.of(cluster.nodes.get(0).localAddress())), 30_000);
        for (int i = 0; i < 20; i++) {
            NodeId target = NodeId.random(cluster.seeds);
            DhtNode from = cluster.nodes.get(i % cluster.nodes.size());
            cluster.await(from.lookup(target), 60_000);
            cluster.await(unbounded.lookup(target), 60_000);
        }
        for (DhtNode n : cluster.nodes) {
            if (n == unbounded) {
                continue;
            }
            assertTrue(n.rttPeersTracked() <= BOUND, "rtt estimators: " + n.rttPeersTracked());
            assertTrue(n.peerInfosKept() <= BOUND, "peer infos: " + n.peerInfosKept());
        }
        assertTrue(unbounded.rttPeersTracked() > BOUND, "without the bound it grows: " + unbounded.rttPeersTracked());
        assertTrue(unbounded.peerInfosKept() > BOUND, "without the bound it grows: " + unbounded.peerInfosKept());
    }

    @Test
    void theRoutingTableIsSavedNoMoreOftenThanConfigured() {
        MemoryCluster cluster = new MemoryCluster(43, DhtConfig.defaults(), 5, 20);
        cluster.grow(20);
        MemoryStateStore state = new MemoryStateStore();
        long start = cluster.time.nowMillis();
        byte[] seed = new byte[32];
        seed[0] = 99;
        DhtNode node = cluster.add(DhtConfig.defaults().withContactSaveMillis(10 * 60_000L),
                Ed25519KeyPair.fromSeed(seed), cluster.network.nextAddress(), state);
        cluster.await(node.bootstrap(List.of(cluster.nodes.get(0).localAddress())), 30_000);
        cluster.time.advance(start + 5 * 60_000 - cluster.time.nowMillis());
        assertEquals(0, state.loadContacts().size(), "not saved in the first 5 minutes");
        cluster.time.advance(6 * 60_000);
        assertEquals(cluster.await(node.contacts(), 1_000).size(), state.loadContacts().size(),
                "saved once 10 minutes had passed");
    }
}
