package io.restfs.dht.node;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;
import io.restfs.dht.items.ItemStore;
import io.restfs.dht.krpc.FindNodeQuery;
import io.restfs.dht.krpc.GetQuery;
import io.restfs.dht.krpc.KrpcError;
import io.restfs.dht.krpc.KrpcMessage;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.PingQuery;
import io.restfs.dht.krpc.PutImmutableQuery;
import io.restfs.dht.krpc.RestfsInfoQuery;
import io.restfs.dht.krpc.RestfsNodeInfo;
import io.restfs.dht.krpc.RestfsSilentQuery;
import io.restfs.dht.krpc.TransactionId;
import io.restfs.dht.routing.Contact;
import io.restfs.dht.routing.PeerKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a node treats peers on first contact and on the wire, each peer talking real KRPC over the memory network. */
class PeerProtocolTest {
    private final MemoryCluster cluster = new MemoryCluster(11,
            DhtConfig.defaults().withShardEndpoint("10.200.0.1", 7000, "rack-a"), 5, 10);

    private Optional<Contact> contact(DhtNode node, NodeId peer) {
        return cluster.await(node.contacts(), 1_000).stream().filter(c -> c.id().equals(peer)).findFirst();
    }

    @Test
    void aVerifiedPeerThatLeavesTheTableAndComesBackIsStillARestfsPeer() {
        DhtNode node = cluster.add();
        DhtNode peer = cluster.add();
        cluster.await(node.bootstrap(List.of(peer.localAddress())), 10_000);
        cluster.time.advance(5_000);
        assertEquals(PeerKind.RESTFS, contact(node, peer.id()).orElseThrow().kind(), "verified on first contact");

        cluster.await(node.forget(peer.id()), 1_000);
        assertTrue(contact(node, peer.id()).isEmpty());
        cluster.await(peer.ping(node.localAddress()), 10_000);
        cluster.time.advance(5_000);
        assertEquals(PeerKind.RESTFS, contact(node, peer.id()).orElseThrow().kind(),
                "its verified info still holds: a data holder again");
    }

    @Test
    void ownInfoIsSignedAgainWhenItsCapacityChangesOrItsTimestampIsStale() {
        DhtNode node = cluster.add();
        NodeId askerId = NodeId.random(cluster.seeds);
        RawPeer asker = new RawPeer(askerId, cluster.network.attach(cluster.network.nextAddress()), q -> null);
        int[] tid = {0};
        java.util.function.Supplier<RestfsNodeInfo> ask = () -> {
            asker.received.clear();
            asker.send(node.localAddress(), new RestfsInfoQuery(TransactionId.ofShort(++tid[0]), askerId));
            cluster.time.advance(1_000);
            return ((KrpcResponse) asker.received.get(0)).restfsInfo().orElseThrow();
        };
        RestfsNodeInfo first = ask.get();
        assertTrue(first.signatureValid());
        cluster.time.advance(5 * 60_000);
        RestfsNodeInfo unchanged = ask.get();
        assertArrayEquals(first.signature(), unchanged.signature(), "same capacity 5 minutes on: the same signed info");

        node.setFreeBytes(first.freeBytes() + 4096);
        RestfsNodeInfo grown = ask.get();
        assertEquals(first.freeBytes() + 4096, grown.freeBytes(), "a new capacity is signed at once");
        assertTrue(grown.signatureValid());

        cluster.time.advance(DhtNode.INFO_RESIGN_MILLIS);
        RestfsNodeInfo refreshed = ask.get();
        assertTrue(refreshed.timestampMillis() > grown.timestampMillis(), "a stale timestamp is refreshed");
        assertTrue(refreshed.signatureValid());
    }

    @Test
    void mainlinePeerAnswering204StaysARoutingPeerButNeverHoldsData() {
        DhtNode node = cluster.add();
        DhtNode other = cluster.add();
        NodeId mainlineId = NodeId.random(cluster.seeds);
        cluster.await(node.bootstrap(List.of(other.localAddress())), 10_000);
        // The Mainline peer pings us; we add it and ask for restfs_info on first contact.
        RawPeer peer = new RawPeer(mainlineId, cluster.network.attach(cluster.network.nextAddress()),
                q -> q instanceof RestfsInfoQuery
                        ? new KrpcError(q.transactionId(), KrpcError.METHOD_UNKNOWN, "Method Unknown")
                        : KrpcResponse.builder(q.transactionId(), mainlineId).token(new byte[4]).build());
        peer.send(node.localAddress(), new PingQuery(TransactionId.ofShort(1), mainlineId));
        cluster.time.advance(5_000);
        assertEquals(PeerKind.ROUTING_ONLY, contact(node, mainlineId).orElseThrow().kind());
        assertEquals(1, pingsReceived(peer), "an error carries no id: whether the peer lives there is asked by ping");
        assertEquals(io.restfs.dht.routing.Liveness.GOOD, contact(node, mainlineId).orElseThrow().liveness());
        assertEquals(PeerKind.RESTFS, contact(node, other.id()).orElseThrow().kind());
        List<DataHolder> holders = cluster.await(node.closestDataHolders(mainlineId, 5), 30_000);
        assertEquals(List.of(other.id()), holders.stream().map(h -> h.node().id()).toList(),
                "only the verified restfs peer may hold data");
    }

    @Test
    void aNewContactThatAnswersRestfsInfoIsNotPingedToo() {
        DhtNode node = cluster.add();
        DhtNode other = cluster.add();
        // Its first contact with node is a query of its own: node has never heard it answer when it asks for its info.
        cluster.await(other.ping(node.localAddress()), 10_000);
        cluster.time.advance(5_000);
        Contact c = contact(node, other.id()).orElseThrow();
        assertEquals(PeerKind.RESTFS, c.kind(), c.toString());
        assertEquals(io.restfs.dht.routing.Liveness.GOOD, c.liveness(), "its signed info answered from its address");
        assertEquals(0L, cluster.await(node.stats(), 1_000).rpc().sentByMethod().getOrDefault("ping", 0L),
                "no ping to prove what the restfs_info answer proved");
    }

    @Test
    void mainlinePeerSilentOnRestfsInfoBecomesRoutingOnlyAndUnreachableQuerierIsBad() {
        DhtNode node = cluster.add();
        NodeId silentId = NodeId.random(cluster.seeds);
        RawPeer silent = new RawPeer(silentId, cluster.network.attach(cluster.network.nextAddress()),
                q -> q instanceof RestfsInfoQuery ? null : KrpcResponse.of(q.transactionId(), silentId));
        cluster.await(node.ping(silent.transport.localAddress()), 10_000);
        cluster.time.advance(30_000);
        Contact c = contact(node, silentId).orElseThrow();
        assertEquals(PeerKind.ROUTING_ONLY, c.kind());
        assertEquals(io.restfs.dht.routing.Liveness.GOOD, c.liveness(), "ignoring an unknown method is no failure");

        // A query from an address that never answers anything (as with a spoofed source) leaves no usable entry.
        NodeId ghostId = NodeId.random(cluster.seeds);
        RawPeer ghost = new RawPeer(ghostId, cluster.network.attach(cluster.network.nextAddress()), q -> null);
        ghost.send(node.localAddress(), new PingQuery(TransactionId.ofShort(3), ghostId));
        cluster.time.advance(30_000);
        assertEquals(io.restfs.dht.routing.Liveness.BAD, contact(node, ghostId).map(Contact::liveness)
                .orElse(io.restfs.dht.routing.Liveness.BAD));
        assertTrue(cluster.await(node.lookup(ghostId), 30_000).nodes().stream().noneMatch(n -> n.id().equals(ghostId)));
    }

    @Test
    void mainlinePeerThatQueriesFirstAndDropsUnknownMethodsStaysAGoodRoutingPeer() {
        DhtNode node = cluster.add();
        NodeId mainlineId = NodeId.random(cluster.seeds);
        // Like bittorrent-dht: answers the BEP 5 methods, drops restfs_info and any other unknown method silently.
        RawPeer mainline = new RawPeer(mainlineId, cluster.network.attach(cluster.network.nextAddress()),
                q -> q instanceof RestfsInfoQuery || q instanceof io.restfs.dht.krpc.UnknownQuery
                        ? null : KrpcResponse.of(q.transactionId(), mainlineId));
        NodeId askerId = NodeId.random(cluster.seeds);
        RawPeer asker = new RawPeer(askerId, cluster.network.attach(cluster.network.nextAddress()), q -> null);

        // Its first contact with us is a query of its own, so it has never answered us when restfs_info goes out.
        mainline.send(node.localAddress(), new PingQuery(TransactionId.ofShort(1), mainlineId));
        cluster.time.advance(30_000);
        asker.send(node.localAddress(), new FindNodeQuery(TransactionId.ofShort(2), askerId, mainlineId, true));
        cluster.time.advance(1_000);

        Contact c = contact(node, mainlineId).orElseThrow();
        assertEquals(PeerKind.ROUTING_ONLY, c.kind(), "silent on restfs_info: not a data holder");
        assertEquals(io.restfs.dht.routing.Liveness.GOOD, c.liveness(), "it answered a ping: alive, " + c);
        assertTrue(mainline.queries.stream().anyMatch(q -> q instanceof PingQuery), "liveness was asked by ping");
        KrpcResponse answer = assertInstanceOf(KrpcResponse.class, asker.received.get(0));
        assertTrue(answer.nodes().stream().anyMatch(n -> n.id().equals(mainlineId)),
                "handed out in find_node answers: " + answer.nodes());
    }

    @Test
    void aReportThatAContactIsSilentIsCheckedWithAPingOfOurOwn() {
        RawPeer contact = answeringPeer();
        DhtNode node = nodeHolding(contact);
        NodeId contactId = contact.id;
        RawPeer reporter = answeringPeer();
        long pings = pingsReceived(contact);

        report(reporter, node, 1, contactId);
        cluster.time.advance(1_000);
        assertEquals(KrpcResponse.of(TransactionId.ofShort(1), node.id()), reporter.received.get(0));
        assertEquals(pings + 1, pingsReceived(contact), "not taken on trust: checked with a ping");
        assertEquals(io.restfs.dht.routing.Liveness.GOOD, contact(node, contactId).orElseThrow().liveness(),
                "a live contact answers and stays");

        // Heard from a moment ago (the ping's answer): another report, forged or not, costs it nothing more.
        report(reporter, node, 2, contactId);
        // A report about a node we do not hold is answered and ignored.
        report(reporter, node, 3, NodeId.random(cluster.seeds));
        cluster.time.advance(1_000);
        assertEquals(3, reporter.received.size(), "both answered");
        assertEquals(pings + 1, pingsReceived(contact), "no second ping within 5 s of its answer");

        // It departs: a report now makes it bad within seconds, where unreported it would stay good for 15 minutes.
        cluster.network.setDown(contact.transport.localAddress(), true);
        cluster.time.advance(10_000);
        assertEquals(io.restfs.dht.routing.Liveness.GOOD, contact(node, contactId).orElseThrow().liveness());
        report(reporter, node, 4, contactId);
        cluster.time.advance(10_000);
        assertEquals(io.restfs.dht.routing.Liveness.BAD, contact(node, contactId).orElseThrow().liveness(),
                "departed: the ping and its second chance unanswered, bad within 10 s of the report");
    }

    @Test
    void aContactThatWentBadIsPingedAgainLaterAndBackOnceItAnswers() {
        // As when a network split heals: the contact was unreachable long enough to go bad, and sends nothing itself.
        RawPeer contact = answeringPeer();
        DhtNode node = nodeHolding(contact);
        NodeId contactId = contact.id;
        RawPeer reporter = answeringPeer();
        cluster.network.setDown(contact.transport.localAddress(), true);
        report(reporter, node, 1, contactId);
        cluster.time.advance(10_000);
        assertEquals(io.restfs.dht.routing.Liveness.BAD, contact(node, contactId).orElseThrow().liveness());

        cluster.network.setDown(contact.transport.localAddress(), false);
        long pings = pingsReceived(contact);
        cluster.time.advance(2 * DhtConfig.DEFAULT_MAINTENANCE_MILLIS);
        assertTrue(pingsReceived(contact) > pings, "pinged again by a maintenance pass");
        assertEquals(io.restfs.dht.routing.Liveness.GOOD, contact(node, contactId).orElseThrow().liveness(),
                "answered: good again");
    }

    /** A node that has heard {@code contact} answer a ping, half a minute ago. */
    private DhtNode nodeHolding(RawPeer contact) {
        DhtNode node = cluster.add();
        cluster.await(node.ping(contact.transport.localAddress()), 10_000);
        cluster.time.advance(30_000);
        return node;
    }

    /** {@code reporter} tells {@code node} that {@code silent} did not answer it (transaction id {@code tid}). */
    private static void report(RawPeer reporter, DhtNode node, int tid, NodeId silent) {
        reporter.send(node.localAddress(), new RestfsSilentQuery(TransactionId.ofShort(tid), reporter.id, silent));
    }

    /** A peer that answers every query but restfs_info (a Mainline node as far as restfs is concerned). */
    private RawPeer answeringPeer() {
        NodeId peerId = NodeId.random(cluster.seeds);
        return new RawPeer(peerId, cluster.network.attach(cluster.network.nextAddress()),
                q -> q instanceof RestfsInfoQuery ? null : KrpcResponse.of(q.transactionId(), peerId));
    }

    private static long pingsReceived(RawPeer peer) {
        return peer.queries.stream().filter(q -> q instanceof PingQuery).count();
    }

    @Test
    void peerWhoseIdIsNotTheHashOfItsKeyIsDropped() {
        DhtNode node = cluster.add();
        byte[] seed = new byte[32];
        cluster.seeds.nextBytes(seed);
        Ed25519KeyPair someKey = Ed25519KeyPair.fromSeed(seed);
        NodeId claimed = NodeId.random(cluster.seeds);
        RestfsNodeInfo info = RestfsNodeInfo.sign(someKey, "10.9.9.9", 7000, "g", 1, 1);
        RawPeer impostor = new RawPeer(claimed, cluster.network.attach(cluster.network.nextAddress()),
                q -> q instanceof RestfsInfoQuery
                        ? KrpcResponse.builder(q.transactionId(), claimed).restfsInfo(info).build()
                        : KrpcResponse.of(q.transactionId(), claimed));
        impostor.send(node.localAddress(), new PingQuery(TransactionId.ofShort(7), claimed));
        cluster.time.advance(100);
        cluster.time.advance(5_000);
        assertTrue(contact(node, claimed).isEmpty(), "the impostor was removed after verification failed");
        assertTrue(cluster.await(node.peerInfo(claimed), 1_000).isEmpty());
    }

    @Test
    void malformedQueryWithReadableTransactionIdGetsError203() {
        DhtNode node = cluster.add();
        RawPeer peer = new RawPeer(NodeId.random(cluster.seeds), cluster.network.attach(cluster.network.nextAddress()),
                q -> null);
        // A ping without its "a" dictionary (BEP 5 requires the querier's id).
        peer.sendRaw(node.localAddress(), "d1:q4:ping1:t2:xy1:y1:qe".getBytes(StandardCharsets.US_ASCII));
        cluster.time.advance(1_000);
        assertEquals(1, peer.received.size());
        KrpcError e = assertInstanceOf(KrpcError.class, peer.received.get(0));
        assertEquals(KrpcError.PROTOCOL, e.code());
        assertArrayEquals("xy".getBytes(StandardCharsets.US_ASCII), e.transactionId().toBytes());
        peer.sendRaw(node.localAddress(), new byte[] {1, 2, 3});
        cluster.time.advance(1_000);
        assertEquals(1, peer.received.size(), "garbage without a transaction id is dropped silently");
    }

    @Test
    void putWithoutAValidTokenIsRefusedAndUnknownMethodsGet204() {
        DhtNode node = cluster.add();
        NodeId peerId = NodeId.random(cluster.seeds);
        RawPeer peer = new RawPeer(peerId, cluster.network.attach(cluster.network.nextAddress()), q -> null);
        byte[] v = "3:abc".getBytes(StandardCharsets.US_ASCII);
        peer.send(node.localAddress(), new PutImmutableQuery(TransactionId.ofShort(1), peerId, new byte[8], v));
        cluster.time.advance(1_000);
        KrpcError refused = assertInstanceOf(KrpcError.class, peer.received.get(0));
        assertEquals(KrpcError.PROTOCOL, refused.code());

        peer.send(node.localAddress(), new GetQuery(TransactionId.ofShort(2), peerId, NodeId.sha1(v)));
        cluster.time.advance(1_000);
        byte[] token = assertInstanceOf(KrpcResponse.class, peer.received.get(1)).token().orElseThrow();
        peer.send(node.localAddress(), new PutImmutableQuery(TransactionId.ofShort(3), peerId, token, v));
        cluster.time.advance(1_000);
        assertInstanceOf(KrpcResponse.class, peer.received.get(2));
        peer.send(node.localAddress(), new GetQuery(TransactionId.ofShort(4), peerId, NodeId.sha1(v)));
        cluster.time.advance(1_000);
        assertArrayEquals(v, ((KrpcResponse) peer.received.get(3)).value().orElseThrow());

        peer.send(node.localAddress(), new io.restfs.dht.krpc.UnknownQuery(TransactionId.ofShort(5), peerId, "vote"));
        cluster.time.advance(1_000);
        assertEquals(KrpcError.METHOD_UNKNOWN, assertInstanceOf(KrpcError.class, peer.received.get(4)).code());
    }

    @Test
    void publishedItemOutlivesExpiryUntilUnpublished() {
        cluster.grow(30);
        DhtNode owner = cluster.nodes.get(3);
        DhtNode reader = cluster.nodes.get(20);
        byte[] seed = new byte[32];
        cluster.seeds.nextBytes(seed);
        Item.Mutable item = DhtNode.signMutable(Ed25519KeyPair.fromSeed(seed), new byte[0], 1,
                "4:spam".getBytes(StandardCharsets.US_ASCII));
        PutResult first = cluster.await(owner.publish(item), 30_000);
        assertFalse(first.storedOn().isEmpty());
        cluster.time.advance(3 * ItemStore.EXPIRE_MILLIS);
        assertEquals(Optional.of(item), cluster.await(reader.get(item.target()), 30_000),
                "republished every hour, so still there after three expiry periods");
        assertTrue(cluster.await(owner.unpublish(item.target()), 1_000));
        cluster.time.advance(ItemStore.EXPIRE_MILLIS + 2 * 60_000);
        assertEquals(Optional.empty(), cluster.await(reader.get(item.target()), 30_000),
                "expired two hours after the last republish");
    }

    @Test
    void restartedOwnerKeepsRepublishingWhatItPublished() {
        cluster.grow(20);
        io.restfs.dht.persist.MemoryStateStore ownerState = new io.restfs.dht.persist.MemoryStateStore();
        DhtNode owner = cluster.add(ownerState);
        Ed25519KeyPair ownerKey = cluster.keys.get(cluster.keys.size() - 1);
        cluster.await(owner.bootstrap(List.of(cluster.nodes.get(0).localAddress())), 30_000);
        Item.Immutable item = new Item.Immutable("5:hello".getBytes(StandardCharsets.US_ASCII));
        cluster.await(owner.publish(item), 30_000);
        java.net.InetSocketAddress address = owner.localAddress();
        cluster.await(owner.close(), 1_000);

        DhtNode again = cluster.add(ownerKey, address, ownerState);
        cluster.time.advance(3 * ItemStore.EXPIRE_MILLIS);
        assertEquals(1, cluster.await(again.stats(), 1_000).publishedItems());
        assertEquals(Optional.of(item), cluster.await(cluster.nodes.get(5).get(item.target()), 30_000),
                "the restarted owner went on republishing");
    }

    @Test
    void announcedPeerIsFoundByGetPeers() {
        cluster.grow(25);
        NodeId infoHash = NodeId.random(cluster.seeds);
        DhtNode seeder = cluster.nodes.get(2);
        int accepted = cluster.await(seeder.announcePeer(infoHash, 51413, false), 30_000);
        assertTrue(accepted >= 10, "announced to " + accepted + " nodes");
        List<java.net.InetSocketAddress> peers = cluster.await(cluster.nodes.get(19).getPeers(infoHash), 30_000);
        assertEquals(List.of(new java.net.InetSocketAddress(seeder.localAddress().getAddress(), 51413)), peers);
    }

    @Test
    void largestAllowedValueTravelsInOneDatagramWithFewerContacts() {
        cluster.grow(25);
        // A 1000-byte bencoded string: "996:" + 996 bytes.
        byte[] v = new byte[1000];
        java.util.Arrays.fill(v, (byte) 'x');
        System.arraycopy("996:".getBytes(StandardCharsets.US_ASCII), 0, v, 0, 4);
        PutResult put = cluster.await(cluster.nodes.get(1).putImmutable(v), 30_000);
        assertTrue(put.storedOn().size() >= 10, "stored on " + put.storedOn().size());
        Optional<Item> got = cluster.await(cluster.nodes.get(22).get(NodeId.sha1(v)), 30_000);
        assertArrayEquals(v, got.orElseThrow().value());
        assertEquals(0, cluster.await(cluster.nodes.get(22).stats(), 1_000).rpc().malformedIn(),
                "no answer was too big for the receiver's decoder");
    }

    @Test
    void putOfAValueThatIsNotBencodedFailsAtOnceWithAClearError() {
        DhtNode node = cluster.add();
        java.util.concurrent.CompletableFuture<PutResult> f = node.putImmutable("hello".getBytes(StandardCharsets.US_ASCII));
        assertTrue(f.isCompletedExceptionally());
        Throwable e = f.handle((r, x) -> x).join();
        assertInstanceOf(IllegalArgumentException.class, e);
        assertTrue(e.getMessage().contains("not one bencoded value"), e.getMessage());
        assertTrue(node.putImmutable(new byte[1001]).isCompletedExceptionally());
    }

    @Test
    void sameSeedGivesTheSameRunEvenThroughTheWholeStack() {
        List<String> first = run(99);
        List<String> second = run(99);
        assertEquals(first, second);
        assertFalse(first.equals(run(100)), "another seed gives another run");
    }

    private static List<String> run(long seed) {
        MemoryCluster c = new MemoryCluster(seed, DhtConfig.defaults(), 5, 50);
        c.grow(40);
        List<String> trace = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            io.restfs.dht.lookup.LookupResult r = c.await(c.nodes.get(i).lookup(NodeId.random(c.seeds)), 60_000);
            trace.add(r.nodes() + " hops=" + r.hops() + " q=" + r.queriesSent() + " t=" + r.durationMillis());
        }
        trace.add(c.await(c.nodes.get(0).stats(), 1_000).toString());
        return trace;
    }
}
