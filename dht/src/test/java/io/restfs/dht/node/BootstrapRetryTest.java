package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.FindNodeQuery;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.NodeInfo;
import io.restfs.dht.krpc.PingQuery;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapRetryTest {
    @Test
    void aNodeWhoseBootstrapReachedNobodyJoinsOnceItsContactIsBack() {
        MemoryCluster cluster = new MemoryCluster(21, DhtConfig.defaults(), 5, 20);
        cluster.grow(30);
        InetSocketAddress contact = cluster.nodes.get(0).localAddress();
        cluster.network.setDown(contact, true);
        DhtNode late = cluster.add();
        assertThrows(CompletionException.class, () -> cluster.await(late.bootstrap(List.of(contact)), 60_000));
        assertEquals(0, cluster.await(late.contacts(), 1_000).size(), "alone after the failed bootstrap");

        cluster.network.setDown(contact, false);
        cluster.time.advance(10 * 60_000);
        int size = cluster.await(late.contacts(), 1_000).size();
        assertTrue(size > 10, "joined through the retried bootstrap: " + size + " contacts");
    }

    /**
     * The contact answers the ping and is gone before the lookup of our own id asks it anything (a node that crashed
     * in between; in a simulated 10,000-node network with sessions of median 1 hour, such a joiner counted the ping
     * as a join, held one dead contact, and went on serving as other joiners' contact, each of which joined no better).
     * That is a failed bootstrap, retried until the contact (here, back) answers the lookup.
     */
    @Test
    void aContactThatLeavesBetweenPingAndLookupFailsTheBootstrap() {
        MemoryCluster cluster = new MemoryCluster(23, DhtConfig.defaults(), 5, 20);
        cluster.grow(30);
        boolean[] back = {false};
        NodeId contactId = NodeId.random(cluster.seeds);
        List<NodeInfo> members = cluster.nodes.stream().map(n -> new NodeInfo(n.id(), n.localAddress())).toList();
        RawPeer contact = new RawPeer(contactId, cluster.network.attach(cluster.network.nextAddress()), q -> {
            if (q instanceof PingQuery) {
                return KrpcResponse.of(q.transactionId(), contactId);
            }
            if (back[0] && q instanceof FindNodeQuery) {
                return KrpcResponse.builder(q.transactionId(), contactId).nodes(members.subList(0, 8)).build();
            }
            return null;
        });
        DhtNode late = cluster.add();
        CompletionException failed = assertThrows(CompletionException.class,
                () -> cluster.await(late.bootstrap(List.of(contact.transport.localAddress())), 60_000));
        assertTrue(failed.getCause().getMessage().contains("answered the ping"), failed.getCause().getMessage());
        assertTrue(contact.queries.stream().anyMatch(q -> q instanceof FindNodeQuery), "the lookup asked the contact");
        assertTrue(cluster.await(late.contacts(), 1_000).size() <= 1, "the late node holds the contact at most");

        back[0] = true;
        cluster.time.advance(10 * 60_000);
        int size = cluster.await(late.contacts(), 1_000).size();
        assertTrue(size > 10, "joined through the retried bootstrap: " + size + " contacts");
    }

    @Test
    void retriesBackOffWhileNobodyAnswers() {
        MemoryCluster cluster = new MemoryCluster(22, DhtConfig.defaults(), 5, 20);
        cluster.grow(3);
        InetSocketAddress contact = cluster.nodes.get(0).localAddress();
        cluster.network.setDown(contact, true);
        DhtNode late = cluster.add();
        assertThrows(CompletionException.class, () -> cluster.await(late.bootstrap(List.of(contact)), 60_000));
        long before = pings(cluster, late);
        cluster.time.advance(60 * 60_000);
        long retries = pings(cluster, late) - before;
        // 5 s doubling to a 5-minute cap: 5+10+20+40+80+160+300+300... reaches an hour in about 17 rounds; each round
        // pings the one contact (up to 3 attempts count as one call).
        assertTrue(retries >= 8 && retries <= 20, "bounded retries in an hour: " + retries);
    }

    private static long pings(MemoryCluster cluster, DhtNode node) {
        return cluster.await(node.stats(), 1_000).rpc().sentByMethod().getOrDefault("ping", 0L);
    }
}
