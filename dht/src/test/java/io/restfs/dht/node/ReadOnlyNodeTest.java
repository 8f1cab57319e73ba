package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;
import io.restfs.dht.krpc.KrpcQuery;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.PingQuery;
import io.restfs.dht.krpc.TransactionId;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.routing.Contact;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BEP 43 read-only nodes, in memory: they look up, put and get like any node but never enter routing tables. */
class ReadOnlyNodeTest {
    private final MemoryCluster cluster = new MemoryCluster(43, DhtConfig.defaults(), 5, 20);

    /** The nodes whose routing table holds {@code peer}. */
    private List<NodeId> holdersOf(NodeId peer) {
        return cluster.nodes.stream().filter(n -> cluster.await(n.contacts(), 1_000).stream()
                .map(Contact::id).anyMatch(peer::equals)).map(DhtNode::id).toList();
    }

    private DhtNode joined(DhtConfig config) {
        DhtNode node = cluster.add(config);
        cluster.await(node.bootstrap(List.of(cluster.nodes.get(0).localAddress(),
                cluster.nodes.get(7).localAddress())), 30_000);
        return node;
    }

    @Test
    void readOnlyNodeLooksUpPutsAndGetsButNeverEntersARoutingTable() {
        cluster.grow(40);
        List<DhtNode> full = List.copyOf(cluster.nodes);
        DhtNode client = joined(DhtConfig.defaults().withReadOnly(true));

        NodeId target = NodeId.random(cluster.seeds);
        LookupResult r = cluster.await(client.lookup(target), 30_000);
        byte[] v = "9:read-only".getBytes(StandardCharsets.US_ASCII);
        PutResult put = cluster.await(client.putImmutable(v), 30_000);
        Optional<Item> got = cluster.await(full.get(30).get(NodeId.sha1(v)), 30_000);
        cluster.time.advance(10 * 60_000);

        assertEquals(MemoryCluster.trueClosest(target, full, 20), r.nodes().stream().map(n -> n.id()).toList(),
                "the read-only node's lookup found the true 20 closest");
        assertEquals(20, put.storedOn().size(), put.toString());
        assertTrue(got.isPresent(), "another node reads what the read-only node put");
        assertEquals(List.of(), holdersOf(client.id()), "no node keeps the read-only node in its routing table");
        assertFalse(cluster.await(client.contacts(), 1_000).isEmpty(), "it keeps a routing table of its own");
    }

    @Test
    void fullNodeJoinedTheSameWayIsInOthersRoutingTables() {
        cluster.grow(40);
        DhtNode node = joined(DhtConfig.defaults());
        cluster.await(node.lookup(NodeId.random(cluster.seeds)), 30_000);
        cluster.time.advance(10 * 60_000);

        assertTrue(holdersOf(node.id()).size() >= 10, "held by " + holdersOf(node.id()).size() + " nodes");
    }

    @Test
    void readOnlyNodeMarksEveryQueryAndAnswersNone() {
        DhtNode client = cluster.add(DhtConfig.defaults().withReadOnly(true));
        NodeId peerId = NodeId.random(cluster.seeds);
        RawPeer peer = new RawPeer(peerId, cluster.network.attach(cluster.network.nextAddress()),
                q -> KrpcResponse.of(q.transactionId(), peerId));

        assertEquals(peerId, cluster.await(client.ping(peer.transport.localAddress()), 10_000));
        cluster.await(client.lookup(NodeId.random(cluster.seeds)), 30_000);
        peer.send(client.localAddress(), new PingQuery(TransactionId.ofShort(9), peerId));
        peer.sendRaw(client.localAddress(), "d1:q4:ping1:t2:xy1:y1:qe".getBytes(StandardCharsets.US_ASCII));
        cluster.time.advance(10_000);

        assertTrue(peer.queries.size() >= 2, "ping and find_node reached the peer: " + peer.queries);
        assertTrue(peer.queries.stream().allMatch(KrpcQuery::readOnly), "every query carries ro=1: " + peer.queries);
        assertEquals(List.of(), peer.received, "neither a well-formed nor a malformed query is answered");
    }

    @Test
    void queryMarkedReadOnlyIsAnsweredButItsSenderIsNotAdded() {
        DhtNode node = cluster.add();
        NodeId roId = NodeId.random(cluster.seeds);
        NodeId fullId = NodeId.random(cluster.seeds);
        RawPeer ro = new RawPeer(roId, cluster.network.attach(cluster.network.nextAddress()), q -> null);
        RawPeer fullPeer = new RawPeer(fullId, cluster.network.attach(cluster.network.nextAddress()),
                q -> KrpcResponse.of(q.transactionId(), fullId));

        ro.send(node.localAddress(), new PingQuery(TransactionId.ofShort(1), roId, true));
        fullPeer.send(node.localAddress(), new PingQuery(TransactionId.ofShort(2), fullId));
        cluster.time.advance(10_000);

        assertEquals(1, ro.received.size(), "the read-only querier got its answer");
        assertEquals(List.of(fullId), cluster.await(node.contacts(), 1_000).stream().map(Contact::id).toList(),
                "only the full querier was added");
        assertEquals(List.of(), ro.queries, "the read-only querier is never queried back (no ping, no restfs_info)");
    }
}
